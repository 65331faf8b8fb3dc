//! The Azure SDK's Entra ID credentials as client credentials (cargo feature `azure-identity`): any
//! [`azure_core::credentials::TokenCredential`], such as `azure_identity`'s developer-tools,
//! client-secret or managed-identity credentials, converts into a [`Credential`] that asks it for
//! the client's scope and caches the token like any [`TokenCredential`](crate::TokenCredential).

use std::fmt;
use std::sync::Arc;

use azure_core::credentials::TokenCredential as AzureTokenCredential;

use crate::{AccessToken, BoxFuture, Credential, Error, ErrorKind, Result, TokenCredential};

/// An Azure SDK credential seen as this runtime's [`TokenCredential`].
struct AzureCredential<T: ?Sized>(Arc<T>);

impl<T: AzureTokenCredential + ?Sized> fmt::Debug for AzureCredential<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AzureCredential").field(&self.0).finish()
    }
}

impl<T: AzureTokenCredential + ?Sized> TokenCredential for AzureCredential<T> {
    fn get_token<'a>(&'a self, scopes: &'a [String]) -> BoxFuture<'a, Result<AccessToken>> {
        Box::pin(async move {
            let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
            let token = self.0.get_token(&scopes, None).await.map_err(|e| {
                Error::new(ErrorKind::Credential, format!("the Azure credential gave no token for {scopes:?}"))
                    .with_source(e)
            })?;
            Ok(AccessToken { token: token.token.secret().to_string(), expires_on: token.expires_on })
        })
    }
}

/// `Client::new("myapp", credential)` with `credential: Arc<dyn azure_core::credentials::TokenCredential>`
/// or the `Arc` of a concrete credential: tokens for the client's scope.
impl<T: AzureTokenCredential + ?Sized + 'static> From<Arc<T>> for Credential {
    fn from(credential: Arc<T>) -> Self {
        let adapter: Arc<dyn TokenCredential> = Arc::new(AzureCredential(credential));
        Credential::from(adapter)
    }
}
