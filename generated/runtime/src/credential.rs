//! Credentials: what goes into `Authorization`, token caching, and redaction.
//!
//! Secrets never appear in `Debug` output. Whether a request gets `Authorization` at
//! all (only on the endpoint's origin) is decided by the pipeline.

use std::fmt;
use std::sync::{Arc, Mutex};

use reqwest::header::HeaderValue;
use time::OffsetDateTime;

use crate::{BoxFuture, Error, ErrorKind, Result};

/// Tokens are refreshed this long before they expire.
const REFRESH_MARGIN: time::Duration = time::Duration::minutes(5);

/// A token sent verbatim as `Authorization: <token>`; IoT Central API tokens look like
/// `SharedAccessSignature sr=...`.
#[derive(Clone)]
pub struct ApiToken(String);

impl ApiToken {
    /// Wraps the full header value.
    pub fn new(token: impl Into<String>) -> Self {
        ApiToken(token.into())
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiToken(<redacted>)")
    }
}

/// A bearer token sent as `Authorization: Bearer <token>`.
#[derive(Clone)]
pub struct BearerToken(String);

impl BearerToken {
    /// Wraps the token (without the `Bearer ` prefix).
    pub fn new(token: impl Into<String>) -> Self {
        BearerToken(token.into())
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

/// A token with its expiry, as returned by a [`TokenCredential`].
#[derive(Clone)]
pub struct AccessToken {
    /// The bearer token.
    pub token: String,
    /// When it stops being valid; the credential refreshes it 5 minutes earlier.
    pub expires_on: OffsetDateTime,
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken").field("token", &"<redacted>").field("expires_on", &self.expires_on).finish()
    }
}

/// A source of bearer tokens (e.g. Azure AD / Entra ID), asked again shortly before a token expires.
pub trait TokenCredential: Send + Sync + fmt::Debug {
    /// A token valid for `scopes`.
    fn get_token<'a>(&'a self, scopes: &'a [String]) -> BoxFuture<'a, Result<AccessToken>>;
}

/// How a client authenticates. Cheap to clone; `Debug` never shows secrets.
#[derive(Clone)]
pub struct Credential(Kind);

#[derive(Clone)]
enum Kind {
    None,
    /// The `Authorization` value, made once (`None`: the token cannot be a header value).
    Api(Option<HeaderValue>),
    Bearer(Option<HeaderValue>),
    Token(Arc<TokenSource>),
}

/// `value` as a sensitive header value (`None`: characters a header cannot hold).
fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}

struct TokenSource {
    credential: Arc<dyn TokenCredential>,
    /// `None` until the client fills in its scope (see [`Credential::with_scope`]).
    scopes: Option<Vec<String>>,
    cache: Mutex<Option<AccessToken>>,
}

impl Credential {
    /// No `Authorization` header.
    pub fn none() -> Self {
        Credential(Kind::None)
    }

    /// Bearer tokens from `credential` for `scopes` (e.g. `["https://management.azure.com/.default"]`),
    /// cached and refreshed about 5 minutes before they expire. A credential converted with `From`
    /// instead is asked for the client's scope: [`ClientOptions::scope`](crate::ClientOptions::scope),
    /// else the API's default.
    pub fn token_credential<S: Into<String>>(
        credential: Arc<dyn TokenCredential>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        Credential::token_source(credential, Some(scopes.into_iter().map(Into::into).collect()))
    }

    fn token_source(credential: Arc<dyn TokenCredential>, scopes: Option<Vec<String>>) -> Self {
        Credential(Kind::Token(Arc::new(TokenSource { credential, scopes, cache: Mutex::new(None) })))
    }

    /// A token credential without scopes of its own gets `scope`, the client's; without one either,
    /// the client cannot be built.
    pub(crate) fn with_scope(self, scope: Option<&str>) -> Result<Self> {
        match &self.0 {
            Kind::Token(source) if source.scopes.is_none() => match scope {
                Some(scope) => Ok(Credential::token_source(source.credential.clone(), Some(vec![scope.to_string()]))),
                None => Err(Error::not_built(
                    "a token credential needs a scope, and this API has no default one: set ClientOptions::scope",
                )),
            },
            _ => Ok(self),
        }
    }

    /// The `Authorization` value for the next request, if any.
    pub(crate) async fn authorization(&self) -> Result<Option<HeaderValue>> {
        let value = match &self.0 {
            Kind::None => return Ok(None),
            Kind::Api(value) | Kind::Bearer(value) => value.clone(),
            Kind::Token(source) => sensitive(&format!("Bearer {}", source.token().await?)),
        };
        value
            .map(Some)
            .ok_or_else(|| Error::new(ErrorKind::Credential, "the token contains characters not allowed in a header"))
    }
}

impl TokenSource {
    async fn token(&self) -> Result<String> {
        let now = OffsetDateTime::now_utc();
        if let Some(cached) = self.cached(now) {
            return Ok(cached);
        }
        // Concurrent callers may both refresh; the later token simply wins the cache.
        let fresh = self.credential.get_token(self.scopes.as_deref().unwrap_or_default()).await?;
        let token = fresh.token.clone();
        *self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(fresh);
        Ok(token)
    }

    fn cached(&self, now: OffsetDateTime) -> Option<String> {
        let cache = self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.as_ref().filter(|t| is_fresh(t, now)).map(|t| t.token.clone())
    }
}

fn is_fresh(token: &AccessToken, now: OffsetDateTime) -> bool {
    token.expires_on - REFRESH_MARGIN > now
}

impl Default for Credential {
    fn default() -> Self {
        Credential::none()
    }
}

impl From<ApiToken> for Credential {
    fn from(token: ApiToken) -> Self {
        Credential(Kind::Api(sensitive(&token.0)))
    }
}

/// Asks `credential` for the client's scope (see [`Credential::token_credential`]).
impl From<Arc<dyn TokenCredential>> for Credential {
    fn from(credential: Arc<dyn TokenCredential>) -> Self {
        Credential::token_source(credential, None)
    }
}

impl From<BearerToken> for Credential {
    fn from(token: BearerToken) -> Self {
        Credential(Kind::Bearer(sensitive(&format!("Bearer {}", token.0))))
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::None => f.write_str("Credential::None"),
            Kind::Api(_) => f.write_str("Credential::ApiToken(<redacted>)"),
            Kind::Bearer(_) => f.write_str("Credential::BearerToken(<redacted>)"),
            Kind::Token(source) => f
                .debug_struct("Credential::TokenCredential")
                .field("credential", &source.credential)
                .field("scopes", &source.scopes)
                .finish_non_exhaustive(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Debug)]
    struct Counting {
        calls: AtomicUsize,
        lifetime: time::Duration,
    }

    impl TokenCredential for Counting {
        fn get_token<'a>(&'a self, scopes: &'a [String]) -> BoxFuture<'a, Result<AccessToken>> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let token = format!("t{n}-{}", scopes.join(" "));
            let expires_on = OffsetDateTime::now_utc() + self.lifetime;
            Box::pin(async move { Ok(AccessToken { token, expires_on }) })
        }
    }

    /// Drives a future that never waits on I/O (no tokio runtime in this crate's tests).
    fn run<F: std::future::Future>(f: F) -> F::Output {
        let mut f = std::pin::pin!(f);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        loop {
            if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        let api = Credential::from(ApiToken::new("SharedAccessSignature sr=secret"));
        let bearer = Credential::from(BearerToken::new("secret"));
        let all = format!(
            "{api:?} {bearer:?} {:?} {:?} {:?}",
            ApiToken::new("secret"),
            BearerToken::new("secret"),
            AccessToken { token: "secret".into(), expires_on: OffsetDateTime::UNIX_EPOCH }
        );
        assert!(!all.contains("secret"), "{all}");
        assert!(all.contains("<redacted>"));
    }

    #[test]
    fn api_token_is_sent_verbatim_and_bearer_is_prefixed() {
        let api = Credential::from(ApiToken::new("SharedAccessSignature sr=x"));
        let bearer = Credential::from(BearerToken::new("abc"));
        let api = run(api.authorization()).unwrap().unwrap();
        let bearer = run(bearer.authorization()).unwrap().unwrap();
        assert_eq!(api.to_str().unwrap(), "SharedAccessSignature sr=x");
        assert_eq!(bearer.to_str().unwrap(), "Bearer abc");
        assert!(api.is_sensitive());
        assert!(run(Credential::none().authorization()).unwrap().is_none());
        let bad = run(Credential::from(ApiToken::new("line\nbreak")).authorization()).unwrap_err();
        assert_eq!(bad.kind(), ErrorKind::Credential);
    }

    #[test]
    fn a_credential_without_scopes_takes_the_clients() {
        let source: Arc<dyn TokenCredential> =
            Arc::new(Counting { calls: AtomicUsize::new(0), lifetime: time::Duration::hours(1) });
        let cred = Credential::from(source.clone()).with_scope(Some("https://apps.example/.default")).unwrap();
        assert_eq!(run(cred.authorization()).unwrap().unwrap(), "Bearer t0-https://apps.example/.default");
        let own = Credential::token_credential(source.clone(), ["own/.default"]).with_scope(Some("other")).unwrap();
        assert_eq!(run(own.authorization()).unwrap().unwrap(), "Bearer t1-own/.default");
        let err = Credential::from(source).with_scope(None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotBuilt);
        assert!(Credential::from(ApiToken::new("x")).with_scope(None).is_ok(), "other credentials need no scope");
    }

    #[test]
    fn token_credential_is_cached_until_close_to_expiry() {
        let source = Arc::new(Counting { calls: AtomicUsize::new(0), lifetime: time::Duration::hours(1) });
        let cred = Credential::token_credential(source.clone(), ["scope/.default"]);
        let first = run(cred.authorization()).unwrap().unwrap();
        let second = run(cred.clone().authorization()).unwrap().unwrap();
        assert_eq!(first, second);
        assert_eq!(first.to_str().unwrap(), "Bearer t0-scope/.default");
        assert_eq!(source.calls.load(Ordering::SeqCst), 1);

        let short = Arc::new(Counting { calls: AtomicUsize::new(0), lifetime: time::Duration::minutes(4) });
        let cred = Credential::token_credential(short.clone(), Vec::<String>::new());
        run(cred.authorization()).unwrap();
        run(cred.authorization()).unwrap();
        assert_eq!(short.calls.load(Ordering::SeqCst), 2, "a token within 5 minutes of expiry is refreshed");
    }
}
