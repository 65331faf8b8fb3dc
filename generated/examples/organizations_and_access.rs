//! Who may do what in an IoT Central application: an organization under another, the built-in
//! roles, a user with a role in the organization, and an API token for a service with the same
//! role; then everything is removed again.
//!
//! ```sh
//! cargo run -p iot-rest --example organizations_and_access
//! ```
//!
//! Environment:
//! - `IOT_CENTRAL_APP`: the application's subdomain (`myapp` for `myapp.azureiotcentral.com`);
//! - `IOT_CENTRAL_API_TOKEN`: an API token, or `IOT_CENTRAL_BEARER_TOKEN`: an Entra ID access token;
//! - `IOT_CENTRAL_ENDPOINT` (optional): another endpoint, such as a mock server.

mod common;

use futures_util::TryStreamExt;
use iot_rest::iot_central::v2022_07_31 as iotc;
use iot_rest::runtime::DateTime;
use iotc::models::{ApiToken, EmailUser, Organization, RoleAssignment, User};

const PARENT: &str = "example-usa";
const ORGANIZATION: &str = "example-seattle";
const USER_ID: &str = "example-operator";
const TOKEN_ID: &str = "example-service-token";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (app, credential, options) = common::iot_central()?;
    let client = iotc::Client::with_options(&app, credential, options)?;

    // Organizations form a tree: Seattle sits below USA.
    let usa = Organization::default().with_display_name("USA");
    client.organizations().create(PARENT, &usa).await?;
    let seattle = Organization::default().with_display_name("Seattle").with_parent(PARENT);
    let seattle = client.organizations().create(ORGANIZATION, &seattle).await?;
    println!("organization {:?} below {:?}", seattle.id, seattle.parent);

    // Roles are the application's (built-in ones and custom ones); pick the operator role by name.
    let roles: Vec<_> = client.roles().list().items().try_collect().await?;
    let operator = roles
        .iter()
        .find(|role| role.display_name.as_deref() == Some("Operator"))
        .or(roles.first())
        .and_then(|role| role.id.clone())
        .ok_or("the application has no roles")?;
    println!("{} roles; granting {operator}", roles.len());
    let in_seattle = RoleAssignment::new(operator).with_organization(ORGANIZATION);

    // Users are a union: email users, service principals and Entra ID groups.
    let user = User::Email(EmailUser::new([in_seattle.clone()], "operator@contoso.com"));
    match client.users().create(USER_ID, &user).await? {
        User::Email(user) => println!("user {:?} <{}>", user.id, user.email),
        other => println!("user created as {other:?}"),
    }

    // An API token is shown once, in the answer to its creation: store it as a secret right away.
    let token = ApiToken::new([in_seattle]).with_expiry(DateTime::parse("2030-01-01T00:00:00Z")?);
    let token = client.api_tokens().create(TOKEN_ID, &token).await?;
    println!("token {:?} expires {:?} (its value is a secret: not printed)", token.id, token.expiry);
    let tokens: Vec<_> = client.api_tokens().list().items().try_collect().await?;
    println!("{} API tokens", tokens.len());

    client.api_tokens().remove(TOKEN_ID).await?;
    client.users().remove(USER_ID).await?;
    client.organizations().remove(ORGANIZATION).await?;
    client.organizations().remove(PARENT).await?;
    println!("removed the token, the user and both organizations");
    Ok(())
}
