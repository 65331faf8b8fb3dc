//! Prism request validation: every generated operation of every API module, called once with valid
//! arguments against a Prism mock server of its document, must pass Prism's validation (no
//! `sl-violations` header, no 422 / 401 / 404 answer).
//!
//! Run by `cargo xtask prism` (and `cargo xtask test`), which starts the mock servers and passes
//! their URLs as `PRISM_URL_<SERVICE>_<VERSION>` (e.g. `PRISM_URL_DPS_V2017_11_15`); plain
//! `cargo test` does not build this target (`test = false`). Each test also checks that it called
//! exactly the operations of its document.
//!
//! A few calls are written by hand, as the guides make them (typed models with optional and
//! read-only fields set, so that what the runtime sends or leaves out for them is validated too).
//! Every other operation is called by the generated example caller (`dispatch::<api>::call`, see
//! `support/example_calls.rs`) with the parameters of its first example: from our document's
//! inline examples, else from the public document's example files. Long-running operations send
//! their initial request only (one poll): Prism's made-up `Location` headers are not worth
//! following. Paged operations fetch their first page only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use std::future::Future;

use iot_rest::runtime::odata::Filter;
use iot_rest::runtime::{Call, DateTime, ErrorKind, Operation, RetryOptions};
use iot_rest::{ApiToken, BearerToken, ClientOptions, IfMatch};
use iot_rest_codegen::manifest::Manifest;
use iot_rest_tests::example_calls::Visit;
use iot_rest_tests::examples::read_json;
use iot_rest_tests::{dispatch, shared_dir, workspace_root};
use serde_json::{Map, Value};

/// The APIs this file covers, as `<service>_<version>` of `specs/manifest.json`.
const COVERED: &[&str] =
    &["iot_central_v2022_07_31", "iot_central_v1_0", "iot_central_v2022_10_31_preview", "dps_v2017_11_15"];

/// An IoT Central API token, shaped like the real ones (Prism checks the `Authorization` header is there).
const API_TOKEN: &str =
    "SharedAccessSignature sr=00000000-0000-0000-0000-000000000000&sig=c2lnbmF0dXJl&skn=prism&se=1893456000000";
/// A role ID (the built-in Administrator role).
const ROLE: &str = "ca310b8d-2f4a-44e0-a36e-957c202cd8d4";
const TEMPLATE: &str = "dtmi:contoso:Thermostat;1";
/// Base64 of a DER certificate would do; Prism only checks these are strings.
const CERTIFICATE: &str = "MIIBszCCAVmgAwIBAgIUYmVzdC1lZmZvcnQtdGVzdC1jZXJ0MAoGCCqGSM49BAMC";
const KEY_1: &str = "cHJpbWFyeS1rZXktb2YtdGhlLWdyb3VwLTAxMjM0NTY3ODk=";
const KEY_2: &str = "c2Vjb25kYXJ5LWtleS1vZi10aGUtZ3JvdXAtMDEyMzQ1Njc=";

/// The public document whose example files give parameters where our document has no example
/// (relative to `../shared/specs`), by `<service>_<version>`.
const PUBLIC_EXAMPLES: &[(&str, &str)] = &[
    ("iot_central_v2022_07_31", "iotcentral/2022-07-31/iotcentral.json"),
    ("iot_central_v1_0", "iotcentral/1.0/iotcentral.json"),
    ("iot_central_v2022_10_31_preview", "iotcentral/2022-10-31-preview/iotcentral.json"),
];

/// The mock URL of `api` (`<service>_<version>`), from the environment `cargo xtask prism` sets.
fn mock_url(api: &str) -> String {
    let var = format!("PRISM_URL_{}", api.to_uppercase());
    match std::env::var(&var) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "{var} is not set: this test needs a Prism mock server of the document; run it with `cargo xtask prism`, \
             which installs and starts Prism and sets PRISM_URL_* for every API of specs/manifest.json"
        ),
    }
}

fn options(api: &str) -> ClientOptions {
    ClientOptions::default().endpoint(mock_url(api)).retry(RetryOptions::none()).timeout(Duration::from_secs(30))
}

fn date(text: &str) -> DateTime {
    DateTime::parse(text).expect("a valid date-time")
}

/// Calls operations, recording which ones were called and what Prism said.
struct Checker {
    /// `<service>_<version>` of the manifest.
    api: &'static str,
    called: Vec<&'static str>,
    violations: Vec<String>,
    /// Success responses the generated models could not decode: not request violations, but reported.
    undecoded: Vec<String>,
}

impl Checker {
    fn new(api: &'static str) -> Self {
        Checker { api, called: Vec::new(), violations: Vec::new(), undecoded: Vec::new() }
    }

    /// Sends `call` once (the initial request of a long-running operation; the first page of a
    /// paged one) and records any violation Prism reports.
    async fn call<O: Operation>(&mut self, operation_id: &'static str, call: Call<O>) {
        // The label must name the operation called: `Group_Name` is `group::Name` of the generated code.
        let fold = |text: &str| text.replace(['_', ':'], "").to_lowercase();
        let type_name = std::any::type_name::<O>();
        let generated = type_name.rsplit("::").take(2).collect::<Vec<_>>();
        assert_eq!(
            fold(operation_id),
            fold(&format!("{}{}", generated[1], generated[0])),
            "{}: `{operation_id}` is not the operation called ({type_name})",
            self.api
        );
        self.called.push(operation_id);
        let result = if O::LRO.is_some() {
            // The poller sends the initial request on its first poll; any error status is an error.
            call.into_poller().poll().await.map(|_| None)
        } else {
            call.send().await.map(|response| response.headers().get("sl-violations").cloned())
        };
        match result {
            Ok(None) => {}
            Ok(Some(violations)) => {
                self.violations.push(format!("{operation_id}: sl-violations: {}", violations.to_str().unwrap_or("?")))
            }
            Err(e) if e.kind() == ErrorKind::Decode => self.undecoded.push(format!("{operation_id}: {e}")),
            Err(e) => self.violations.push(format!(
                "{operation_id}: {e} (status {:?}, body {})",
                e.status(),
                e.body().unwrap_or("-")
            )),
        }
    }

    /// Asserts no violation, and that the operations called are exactly those of the document.
    fn finish(self) {
        for line in &self.undecoded {
            eprintln!("{}: note: response not decoded: {line}", self.api);
        }
        let expected = document_operations(self.api);
        let mut called = BTreeSet::new();
        let duplicates: Vec<_> = self.called.iter().filter(|id| !called.insert(**id)).collect();
        let missing: Vec<_> = expected.iter().filter(|id| !called.contains(id.as_str())).collect();
        let unknown: Vec<_> = called.iter().filter(|id| !expected.contains(**id)).collect();
        assert!(
            duplicates.is_empty() && missing.is_empty() && unknown.is_empty(),
            "{}: the calls do not match the document's operations: not called {missing:?}, not in the document \
             {unknown:?}, called twice {duplicates:?}",
            self.api
        );
        // An error response does not show Prism's `sl-violations` header; `cargo xtask prism` prints the
        // violations from Prism's log (`.servers/prism-<api>.log`) after this test.
        assert!(
            self.violations.is_empty(),
            "{}: Prism reported {} violations (its messages are in .servers/prism-{}.log):\n  {}",
            self.api,
            self.violations.len(),
            self.api,
            self.violations.join("\n  ")
        );
        eprintln!("prism: {}: {} operations called, 0 violations", self.api, self.called.len());
    }
}

/// The manifest's APIs, by `<service>_<version>`, with their document paths.
fn manifest_apis() -> BTreeMap<String, String> {
    let root = workspace_root();
    let manifest = Manifest::load(&root.join("specs/manifest.json"), "specs/manifest.json").expect("manifest loads");
    manifest
        .apis
        .iter()
        .map(|api| (format!("{}_{}", api.service, api.version), format!("specs/{}", api.spec)))
        .collect()
}

/// Every operationId of `api`'s document.
fn document_operations(api: &str) -> BTreeSet<String> {
    let spec = manifest_apis().remove(api).unwrap_or_else(|| panic!("{api} is not in specs/manifest.json"));
    let text = std::fs::read_to_string(workspace_root().join(Path::new(&spec))).expect("document readable");
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("document is JSON");
    let mut ids = BTreeSet::new();
    for key in ["paths", "x-ms-paths"] {
        for item in doc.get(key).and_then(Value::as_object).into_iter().flat_map(|paths| paths.values()) {
            for (method, op) in item.as_object().into_iter().flatten() {
                if method != "parameters" {
                    if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                        ids.insert(id.to_string());
                    }
                }
            }
        }
    }
    ids
}

impl Visit for Checker {
    fn visit<O: Operation>(&mut self, operation_id: &'static str, call: Call<O>) -> impl Future<Output = ()> {
        self.call(operation_id, call)
    }
}

/// The `parameters` of the first example (by title) of every operation of `doc`, its example files
/// read relative to it. Operations without examples are left out.
fn first_example_parameters(doc: &Path) -> BTreeMap<String, Map<String, Value>> {
    let value = read_json(doc).unwrap_or_else(|e| panic!("{e}"));
    let dir = doc.parent().expect("a document has a directory");
    let mut out = BTreeMap::new();
    for item in value.get("paths").and_then(Value::as_object).into_iter().flat_map(|p| p.values()) {
        for op in item.as_object().into_iter().flat_map(|o| o.values()) {
            let (Some(id), Some(examples)) =
                (op.get("operationId").and_then(Value::as_str), op.get("x-ms-examples").and_then(Value::as_object))
            else {
                continue;
            };
            let Some(example) = examples.values().next() else { continue };
            let example = match example.get("$ref").and_then(Value::as_str) {
                Some(file) => read_json(&dir.join(file)).unwrap_or_else(|e| panic!("{e}")),
                None => example.clone(),
            };
            let params = example.get("parameters").and_then(Value::as_object).cloned().unwrap_or_default();
            out.insert(id.to_string(), params);
        }
    }
    out
}

/// Example parameters of every operation of `api`: our document's inline examples, else the public
/// document's example files.
fn example_parameters(api: &str) -> BTreeMap<String, Map<String, Value>> {
    let spec = manifest_apis().remove(api).unwrap_or_else(|| panic!("{api} is not in specs/manifest.json"));
    let mut params = first_example_parameters(&workspace_root().join(spec));
    if let Some((_, public)) = PUBLIC_EXAMPLES.iter().find(|(name, _)| *name == api) {
        for (id, p) in first_example_parameters(&shared_dir().join("specs").join(public)) {
            params.entry(id).or_insert(p);
        }
    }
    params
}

/// Calls every operation of the checker's document not called yet through the generated example
/// caller `$call` (`dispatch::<api>::call`), with example parameters.
macro_rules! call_the_rest {
    ($c:expr, $client:expr, $call:path) => {{
        let params = example_parameters($c.api);
        for id in document_operations($c.api) {
            if $c.called.contains(&id.as_str()) {
                continue;
            }
            let p = params.get(&id).unwrap_or_else(|| panic!("{}: {id} has no example to take arguments from", $c.api));
            $call(&$client, &id, p, &mut $c).await.unwrap_or_else(|e| panic!("{}: {id}: {e}", $c.api));
        }
    }};
}

#[test]
fn every_api_of_the_manifest_is_covered() {
    let manifest: BTreeSet<String> = manifest_apis().into_keys().collect();
    let covered: BTreeSet<String> = COVERED.iter().map(|s| s.to_string()).collect();
    assert_eq!(manifest, covered, "tests/prism.rs must call the operations of exactly the manifest's APIs");
}

/// The guide's device, X.509 enrollment certificate and API token calls, shared by the 2022 versions (`$m`).
macro_rules! iot_central_2022_guide_calls {
    ($m:ident, $c:expr, $client:expr) => {{
        use iot_rest::iot_central::$m::models;
        let (c, client) = (&mut $c, &$client);
        let mut device = models::Device::default()
            .with_etag("\"1\"")
            .with_display_name("Checkout thermostat")
            .with_template(TEMPLATE)
            .with_enabled(true)
            .with_simulated(false)
            .with_organizations(["org-1".to_string()]);
        // Read-only fields set on purpose: they must not be sent.
        (device.id, device.provisioned) = (Some("ignored-read-only".into()), Some(true));
        c.call("Devices_Create", client.devices().create("thermostat-1", &device)).await;
        let patch = models::DevicePatch::default().with_enabled(false).with_display_name("Renamed");
        c.call("Devices_Update", client.devices().update("thermostat-1", &patch)).await;

        let mut certificate = models::SigningX509Certificate::default()
            .with_certificate(CERTIFICATE)
            .with_etag("\"1\"");
        (certificate.verified, certificate.info) = (Some(false), Some(models::X509CertificateInfo::new("00ff")));
        let groups = client.enrollment_groups();
        let primary = models::CertificateEntry::Primary;
        c.call("EnrollmentGroups_CreateX509", groups.create_x509("line-1", primary.clone(), &certificate)).await;
        let generate = groups.generate_verification_code_x509("line-1", primary.clone());
        c.call("EnrollmentGroups_GenerateVerificationCodeX509", generate).await;
        let proof = models::X509VerificationCertificate::new(CERTIFICATE);
        c.call("EnrollmentGroups_VerifyX509", groups.verify_x509("line-1", primary, &proof)).await;

        let role = models::RoleAssignment::new(ROLE).with_organization("seattle");
        let mut token = models::ApiToken::new([role]).with_expiry(date("2030-01-01T00:00:00Z"));
        (token.id, token.token) = (Some("ignored-read-only".into()), Some("ignored-read-only".into()));
        c.call("ApiTokens_Create", client.api_tokens().create("operator-token", &token)).await;
    }};
}

#[tokio::test]
async fn iot_central_2022_07_31_requests_pass_prism_validation() {
    use iot_rest::iot_central::v2022_07_31 as api;
    let api_name = "iot_central_v2022_07_31";
    let client = api::Client::with_options("myapp", ApiToken::new(API_TOKEN), options(api_name)).unwrap();
    let mut c = Checker::new(api_name);
    iot_central_2022_guide_calls!(v2022_07_31, c, client);
    call_the_rest!(c, client, dispatch::iot_central_v2022_07_31::call);
    c.finish();
}

#[tokio::test]
async fn iot_central_2022_10_31_preview_requests_pass_prism_validation() {
    use iot_rest::iot_central::v2022_10_31_preview as api;
    let api_name = "iot_central_v2022_10_31_preview";
    let client = api::Client::with_options("myapp", ApiToken::new(API_TOKEN), options(api_name)).unwrap();
    let mut c = Checker::new(api_name);
    // The guide's filter, built typed: the apostrophe is doubled inside the quoted literal.
    let filter = Filter::contains("displayName", "O'Brien's thermostat").and(Filter::eq("enabled", true));
    let list = client.devices().list().maxpagesize(25).filter(&filter).orderby("displayName desc");
    c.call("Devices_List", list).await;
    iot_central_2022_guide_calls!(v2022_10_31_preview, c, client);
    call_the_rest!(c, client, dispatch::iot_central_v2022_10_31_preview::call);
    c.finish();
}

#[tokio::test]
async fn iot_central_1_0_requests_pass_prism_validation() {
    use iot_rest::iot_central::v1_0 as api;
    use iot_rest::iot_central::v1_0::models;
    let api_name = "iot_central_v1_0";
    let client = api::Client::with_options("myapp", ApiToken::new(API_TOKEN), options(api_name)).unwrap();
    let mut c = Checker::new(api_name);
    let role = models::RoleAssignment::new(ROLE);
    let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    let principal = models::ServicePrincipalUser::new([role], tenant, "4ff8d2c9-2a87-4d70-8b52-6e7d5a6e3d7e");
    let principal = models::User::ServicePrincipal(principal);
    c.call("Users_Create", client.users().create("operator-1", &principal)).await;
    call_the_rest!(c, client, dispatch::iot_central_v1_0::call);
    c.finish();
}

#[tokio::test]
async fn dps_2017_11_15_requests_pass_prism_validation() {
    use iot_rest::dps::v2017_11_15 as api;
    use iot_rest::dps::v2017_11_15::models::*;
    let api_name = "dps_v2017_11_15";
    let subscription = "91d12660-3dec-467a-be2a-213b5544a0bd";
    let client =
        api::Client::with_options(subscription, BearerToken::new("prism-test-token"), options(api_name)).unwrap();
    let (rg, dps) = ("iot-rg", "contoso-dps");
    let mut c = Checker::new(api_name);

    let resources = client.iot_dps_resource();
    // Every read-only field is set on purpose: none may be sent.
    let ignored = || Some("ignored-read-only".to_string());
    let owner = SharedAccessSignatureAuthorizationRuleAccessRightsDescription::new(
        "provisioningserviceowner",
        AccessRightsDescription::ServiceConfig,
    )
    .with_primary_key(KEY_1)
    .with_secondary_key(KEY_2);
    let connection = "HostName=contoso.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=a2V5";
    let mut hub = IotHubDefinitionDescription::new(connection, "westus")
        .with_allocation_weight(10)
        .with_apply_allocation_policy(true);
    hub.name = ignored();
    let mut properties = IotDpsPropertiesDescription::default()
        .with_allocation_policy(AllocationPolicy::Hashed)
        .with_authorization_policies([owner])
        .with_iot_hubs([hub])
        .with_state(State::Active);
    properties.device_provisioning_host_name = ignored();
    properties.id_scope = ignored();
    properties.service_operations_host_name = ignored();
    let mut sku = IotDpsSkuInfo::default().with_capacity(1).with_name(IotDpsSku::S1);
    sku.tier = ignored();
    let mut description = ProvisioningServiceDescription::new("westus", properties, sku)
        .with_tags([("env".to_string(), "test".to_string())]);
    (description.id, description.name, description.r#type) = (ignored(), ignored(), ignored());
    c.call("IotDpsResource_CreateOrUpdate", resources.create_or_update(rg, dps, &description)).await;

    let certificates = client.dps_certificate();
    let etag = || IfMatch::from(iot_rest::ETag::new("\"AAAAAAAADGk=\""));
    let delete = certificates
        .delete(rg, dps, "root-ca", etag())
        .certificate_name_query("Contoso Root CA")
        .certificate_raw_bytes(CERTIFICATE.parse().expect("base64"))
        .certificate_is_verified(true)
        .certificate_purpose(CertificatePurpose::ClientAuthentication)
        .certificate_created(date("2024-01-02T03:04:05Z"))
        .certificate_last_updated(date("2024-02-03T04:05:06.789+01:00"))
        .certificate_has_private_key(false)
        .certificate_nonce("nonce-1");
    c.call("DpsCertificate_Delete", delete).await;
    call_the_rest!(c, client, dispatch::dps_v2017_11_15::call);
    c.finish();
}
