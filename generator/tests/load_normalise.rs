//! Loading (BOM, sibling-file `$ref` bundling, ref checks, JSON errors) and Swagger 2.0 → OpenAPI 3.0
//! normalisation.
//!
//! Fixtures live in `tests/data/<case>/`; a case with an `expected.json` is a golden: the loaded and
//! normalised document must equal it exactly. `UPDATE_EXPECT=1 cargo test -p iot-rest-codegen --test
//! load_normalise` rewrites the goldens (review the diff). The real documents in `../shared` are
//! loaded and parsed when that folder is present.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use iot_rest_codegen::load::{self, Dialect};
use iot_rest_codegen::normalise::{self, swagger2_to_openapi3, OpenApiDocument};
use serde_json::{json, Value};

/// Loads and normalises a fixture by its path relative to the package (tests run there), so
/// messages name it as `tests/data/...` on every machine.
fn load_fixture(relative: &str) -> Result<OpenApiDocument, iot_rest_codegen::Error> {
    load::load(Path::new(relative)).and_then(normalise::normalise)
}

/// Loads `tests/data/<case>/<input>`, parses it, and compares it with `tests/data/<case>/expected.json`.
fn check_golden(case: &str, input: &str) -> OpenApiDocument {
    let doc = load_fixture(&format!("tests/data/{case}/{input}")).unwrap_or_else(|e| panic!("{e}"));
    doc.parse().unwrap_or_else(|e| panic!("{e}"));
    let expected_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/{case}/expected.json"));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let text = serde_json::to_string_pretty(&doc.value).expect("a Value always serialises") + "\n";
        std::fs::write(&expected_path, text).expect("golden is writable");
    }
    let expected = std::fs::read_to_string(&expected_path).expect("golden exists (UPDATE_EXPECT=1 creates it)");
    let expected: Value = serde_json::from_str(&expected).expect("golden is JSON");
    assert_eq!(
        doc.value,
        expected,
        "{case}: loaded document differs from the golden; actual:\n{}",
        serde_json::to_string_pretty(&doc.value).unwrap_or_default()
    );
    doc
}

fn error_text(relative: &str) -> String {
    match load_fixture(relative) {
        Ok(_) => panic!("{relative} loaded, but an error was expected"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn leading_bom_is_ignored() {
    let doc = check_golden("bom", "swagger.json");
    assert_eq!(doc.dialect, Dialect::Swagger2);
    assert_eq!(doc.file, "tests/data/bom/swagger.json");
}

#[test]
fn sibling_file_refs_are_bundled_under_their_own_names() {
    let doc = check_golden("external", "root.json");
    // Referenced definitions are copied (recursive ones once), unreferenced ones are not.
    let schemas = doc.value["components"]["schemas"].as_object().expect("schemas");
    assert_eq!(
        schemas.keys().collect::<Vec<_>>(),
        ["Local", "DeviceList", "Device", "Error"]
    );
    // x-ms-examples keeps its file reference, unread.
    assert_eq!(
        doc.value["paths"]["/devices"]["get"]["x-ms-examples"],
        json!({ "List devices": { "$ref": "./examples/not-read.json" } })
    );
}

#[test]
fn openapi3_input_passes_through_with_siblings_bundled() {
    let doc = check_golden("oas3", "openapi.json");
    assert_eq!(doc.dialect, Dialect::OpenApi3);
}

#[test]
fn ref_cycle_across_two_files_names_the_chain() {
    assert_eq!(
        error_text("tests/data/cycle/a.json"),
        "tests/data/cycle/a.json#/definitions/A: $ref cycle: tests/data/cycle/a.json#/definitions/A -> \
         tests/data/cycle/b.json#/definitions/B -> tests/data/cycle/a.json#/definitions/A"
    );
}

#[test]
fn dangling_internal_ref_is_located_at_the_ref() {
    assert_eq!(
        error_text("tests/data/dangling/swagger.json"),
        "tests/data/dangling/swagger.json#/definitions/Device/properties/group: \
         $ref \"#/definitions/Nope\" does not resolve"
    );
}

#[test]
fn malformed_json_reports_line_and_column() {
    assert_eq!(
        error_text("tests/data/malformed/swagger.json"),
        "tests/data/malformed/swagger.json#: invalid JSON at line 4, column 3: expected `,` or `}`"
    );
}

#[test]
fn bundling_a_different_definition_over_an_existing_name_is_an_error() {
    assert_eq!(
        error_text("tests/data/clash/root.json"),
        "tests/data/clash/root.json#/paths/~1devices/get/responses/200/schema: \
         $ref \"common.json#/definitions/Device\" cannot be bundled as \"#/definitions/Device\": \
         tests/data/clash/root.json already has a different definition there"
    );
}

#[test]
fn missing_file_is_located_error() {
    assert_eq!(
        error_text("tests/data/no-such-file.json"),
        "tests/data/no-such-file.json#: cannot read the file: No such file or directory (os error 2)"
    );
}

#[test]
fn unknown_parameter_location_is_located_in_the_swagger_document() {
    assert_eq!(
        error_text("tests/data/bad_in/swagger.json"),
        "tests/data/bad_in/swagger.json#/paths/~1devices/get/parameters/2: \
         expected \"in\" to be one of query, header, path, body, formData"
    );
}

#[test]
fn body_form_header_path_and_query_parameters_are_normalised() {
    let doc = check_golden("params", "swagger.json");
    let put = &doc.value["paths"]["/devices/{deviceId}"]["put"];
    // The body sat third in the merged list (path-item DeviceId, api-version, body).
    assert_eq!(put["x-ms-requestBody-index"], json!(2));
    assert_eq!(put["requestBody"]["x-ms-requestBody-name"], json!("body"));
}

#[test]
fn discriminator_nullable_file_and_formats_are_normalised() {
    check_golden("schemas", "swagger.json");
}

#[test]
fn parameterized_host_becomes_a_server_with_variables() {
    let doc = check_golden("host", "swagger.json");
    assert_eq!(
        doc.value["servers"],
        json!([{
            "url": "https://{subdomain}.{region}.{baseDomain}/api",
            "variables": {
                "subdomain": { "default": "", "description": "The application subdomain." },
                "region": { "default": "", "enum": ["eu", "us"] },
                "baseDomain": { "default": "azureiotcentral.com", "description": "The base domain." }
            }
        }])
    );
}

fn minimal(extra: Value) -> Value {
    let mut doc = json!({ "swagger": "2.0", "info": { "title": "T", "version": "1" }, "paths": {} });
    if let (Some(doc), Value::Object(extra)) = (doc.as_object_mut(), extra) {
        doc.extend(extra);
    }
    doc
}

#[test]
fn security_definitions_become_security_schemes() {
    let swagger = minimal(json!({
        "securityDefinitions": {
            "basic": { "type": "basic", "description": "Basic." },
            "key": { "type": "apiKey", "name": "api-key", "in": "header", "x-key": 1 },
            "implicit": { "type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": { "s": "S" } },
            "password": { "type": "oauth2", "flow": "password", "tokenUrl": "https://t", "scopes": {} },
            "app": { "type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {} },
            "code": { "type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {} }
        },
        "security": [{ "implicit": ["s"] }]
    }));
    let out = swagger2_to_openapi3("t.json", swagger).expect("converts");
    assert_eq!(
        out["components"]["securitySchemes"],
        json!({
            "basic": { "type": "http", "scheme": "basic", "description": "Basic." },
            "key": { "type": "apiKey", "name": "api-key", "in": "header", "x-key": 1 },
            "implicit": { "type": "oauth2", "flows": { "implicit": { "authorizationUrl": "https://a", "scopes": { "s": "S" } } } },
            "password": { "type": "oauth2", "flows": { "password": { "tokenUrl": "https://t", "scopes": {} } } },
            "app": { "type": "oauth2", "flows": { "clientCredentials": { "tokenUrl": "https://t", "scopes": {} } } },
            "code": { "type": "oauth2", "flows": { "authorizationCode": { "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {} } } }
        })
    );
    assert_eq!(out["security"], json!([{ "implicit": ["s"] }]));
}

#[test]
fn servers_come_from_host_base_path_and_schemes() {
    let cases = [
        (
            json!({ "host": "h.example", "basePath": "/v1" }),
            json!([{ "url": "https://h.example/v1" }]),
        ),
        (
            json!({ "host": "h", "schemes": ["http", "https"] }),
            json!([{ "url": "http://h" }, { "url": "https://h" }]),
        ),
        (json!({ "basePath": "/only" }), json!([{ "url": "/only" }])),
        (json!({}), Value::Null),
    ];
    for (extra, expected) in cases {
        let out = swagger2_to_openapi3("t.json", minimal(extra.clone())).expect("converts");
        assert_eq!(
            out.get("servers").cloned().unwrap_or(Value::Null),
            expected,
            "for {extra}"
        );
    }
}

#[test]
fn collection_formats_map_to_style_and_explode() {
    let param = |location: &str, format: &str| {
        let swagger = minimal(json!({ "parameters": { "P": {
            "name": "p", "in": location, "type": "array", "items": { "type": "string" }, "collectionFormat": format
        } } }));
        swagger2_to_openapi3("t.json", swagger).map(|out| {
            let p = &out["components"]["parameters"]["P"];
            (p["style"].clone(), p["explode"].clone())
        })
    };
    assert_eq!(param("query", "csv").unwrap(), (json!("form"), json!(false)));
    assert_eq!(param("query", "multi").unwrap(), (json!("form"), json!(true)));
    assert_eq!(param("query", "ssv").unwrap(), (json!("spaceDelimited"), json!(false)));
    assert_eq!(param("query", "pipes").unwrap(), (json!("pipeDelimited"), json!(false)));
    assert_eq!(param("path", "csv").unwrap(), (json!("simple"), json!(false)));
    assert_eq!(param("query", "tsv").unwrap(), (json!("form"), json!(false)), "marked as tab-separated");
    assert_eq!(
        param("header", "tsv").unwrap_err().to_string(),
        "t.json#/parameters/P/collectionFormat: collectionFormat \"tsv\" is not allowed for a header parameter"
    );
    assert_eq!(
        param("header", "multi").unwrap_err().to_string(),
        "t.json#/parameters/P/collectionFormat: collectionFormat \"multi\" is not allowed for a header parameter"
    );
}

#[test]
fn unmappable_constructs_are_located_errors() {
    let cases = [
        (
            minimal(json!({ "paths": { "/a": { "get": { "parameters": [
                { "name": "b", "in": "body", "schema": {} }, { "name": "f", "in": "formData", "type": "string" }
            ], "responses": {} } } } })),
            "t.json#/paths/~1a/get/parameters/1: an operation cannot have both body and formData parameters",
        ),
        (
            minimal(
                json!({ "paths": { "/a": { "get": { "parameters": [{ "name": "b", "in": "body" }], "responses": {} } } } }),
            ),
            "t.json#/paths/~1a/get/parameters/0: expected a \"schema\" on a body parameter",
        ),
        (
            minimal(json!({ "definitions": { "A": { "$ref": "#/paths/~1a" } } })),
            "t.json#/definitions/A: $ref \"#/paths/~1a\" cannot be mapped to OpenAPI 3.0: \
             expected \"#/definitions/…\", \"#/parameters/…\" or \"#/responses/…\"",
        ),
        (minimal(json!({ "basePath": 1 })), "t.json#/basePath: expected a string"),
        (
            minimal(json!({ "webhooks": {} })),
            "t.json#/webhooks: unexpected field \"webhooks\" in a Swagger 2.0 document",
        ),
        (
            minimal(json!({ "paths": { "/a": { "get": { "responses": { "ok": { "description": "" } } } } } })),
            "t.json#/paths/~1a/get/responses/ok: expected a status code, \"default\" or an x- extension",
        ),
    ];
    for (swagger, expected) in cases {
        let error = swagger2_to_openapi3("t.json", swagger).expect_err(expected);
        assert_eq!(error.to_string(), expected);
    }
}

#[test]
fn parse_errors_point_into_the_swagger_document_where_shapes_agree() {
    let swagger = minimal(json!({ "definitions": { "A": { "type": "object", "required": true } } }));
    let doc = OpenApiDocument {
        file: "t.json".into(),
        value: swagger2_to_openapi3("t.json", swagger).expect("converts"),
        dialect: Dialect::Swagger2,
        sources: Default::default(),
    };
    let error = doc.parse().expect_err("`required: true` is not OpenAPI 3.0");
    assert_eq!(error.file, "t.json");
    assert_eq!(error.pointer, "/definitions/A");
    assert!(error.message.starts_with("not valid OpenAPI 3.0: "), "{error}");
}

/// A property schema nested `depth` levels deep (`allOf` and `items` alternating) around `bottom`.
fn nested_schema(depth: usize, bottom: Value) -> (Value, String) {
    let (mut schema, mut pointer) = (bottom, String::new());
    for level in 0..depth {
        if level % 2 == 0 {
            schema = json!({ "allOf": [schema] });
            pointer = format!("/allOf/0{pointer}");
        } else {
            schema = json!({ "items": schema });
            pointer = format!("/items{pointer}");
        }
    }
    (schema, pointer)
}

#[test]
fn a_mistake_at_the_bottom_of_a_deep_schema_is_found_at_once_where_it_is() {
    // Trying each schema shape again from the top would take 2^40 steps.
    let (schema, inner) = nested_schema(80, json!({ "nullable": "yes" }));
    let swagger = minimal(json!({ "definitions": { "A": { "properties": { "p": schema } } } }));
    let doc = OpenApiDocument { file: "t.json".into(), value: swagger2_to_openapi3("t.json", swagger).expect("converts"), dialect: Dialect::Swagger2, sources: Default::default() };
    let started = std::time::Instant::now();
    let error = doc.parse().expect_err("`nullable` must be a boolean");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "took {:?}", started.elapsed());
    assert_eq!(
        error.to_string(),
        format!("t.json#/definitions/A/properties/p{inner}: not valid OpenAPI 3.0: invalid type: string \"yes\", expected a boolean")
    );
}

#[test]
fn deep_documents_lower_on_any_thread() {
    // 80 levels of schema, 125 of JSON (the parser's limit is 128), from a thread with a small stack.
    let (schema, _) = nested_schema(80, json!({ "type": "string" }));
    let swagger = minimal(json!({ "definitions": { "A": { "properties": { "p": schema } } } }));
    let dir = scratch_case("deep", &[("root.json", swagger.to_string())]);
    let path = dir.join("root.json");
    let small = std::thread::Builder::new().stack_size(256 << 10).spawn(move || {
        let api = iot_rest_codegen::lower_file(&path, "root.json").map_err(|e| e.to_string())?;
        let header = iot_rest_codegen::emit::Header { command: "test".into(), input: "root.json".into() };
        iot_rest_codegen::api_module_files(&api, &header).map(|files| files.len()).map_err(|e| e.to_string())
    });
    let files = small.expect("thread").join().expect("no stack overflow");
    assert!(files.expect("lowers and emits") >= 2);
}

// --- Hostile input: what a $ref may read, and where a $ref is a reference ------------------------

/// A fresh folder with `files` (name, JSON text) written into it.
fn scratch_case(case: &str, files: &[(&str, String)]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("load-{case}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("scratch file");
    }
    dir
}

/// The error of loading `dir/root.json`, with `dir` written as `<dir>`.
fn scratch_error(dir: &Path) -> String {
    let root = dir.join("root.json");
    match load::load(&root).and_then(normalise::normalise) {
        Ok(_) => panic!("{} loaded, but an error was expected", root.display()),
        Err(e) => e.to_string().replace(&dir.to_string_lossy().to_string(), "<dir>"),
    }
}

fn referring_to(reference: &str) -> String {
    minimal(json!({ "definitions": { "Device": { "properties": { "other": { "$ref": reference } } } } })).to_string()
}

#[test]
fn refs_to_absolute_paths_and_urls_are_located_errors() {
    let cases = [
        ("/dev/zero#/definitions/X", "absolute paths are not supported; write the path relative to this file"),
        ("/etc/passwd", "absolute paths are not supported; write the path relative to this file"),
        ("C:/specs/common.json#/definitions/X", "absolute paths are not supported; write the path relative to this file"),
        ("https://example.com/common.json#/definitions/X", "references to URLs are not supported"),
        ("file:common.json#/definitions/X", "references to URLs are not supported"),
    ];
    for (reference, why) in cases {
        let dir = scratch_case("absolute", &[("root.json", referring_to(reference))]);
        assert_eq!(
            scratch_error(&dir),
            format!("<dir>/root.json#/definitions/Device/properties/other: $ref \"{reference}\": {why}"),
            "{reference}"
        );
    }
}

#[cfg(unix)]
#[test]
fn refs_to_devices_and_folders_are_not_read() {
    let dir = scratch_case("device", &[("root.json", referring_to("zero.json#/definitions/X"))]);
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.json")).expect("symlink");
    assert_eq!(
        scratch_error(&dir),
        "<dir>/root.json#/definitions/Device/properties/other: $ref \"zero.json#/definitions/X\": cannot read <dir>/zero.json: not a regular file"
    );
    let dir = scratch_case("folder", &[("root.json", referring_to("sub#/definitions/X"))]);
    std::fs::create_dir(dir.join("sub")).expect("folder");
    assert_eq!(
        scratch_error(&dir),
        "<dir>/root.json#/definitions/Device/properties/other: $ref \"sub#/definitions/X\": cannot read <dir>/sub: not a regular file"
    );
}

#[test]
fn referenced_files_count_against_one_input_limit() {
    // Two files of 17 MiB each: either alone is within the 32 MiB limit, together they are not.
    let padded = |name: &str| {
        let doc = json!({ "definitions": { name: { "type": "string" } }, "x-padding": "x".repeat(17 << 20) });
        doc.to_string()
    };
    let root = minimal(json!({ "definitions": { "Device": { "properties": {
        "a": { "$ref": "a.json#/definitions/A" }, "b": { "$ref": "b.json#/definitions/B" }
    } } } }));
    let dir = scratch_case("limit", &[("root.json", root.to_string()), ("a.json", padded("A")), ("b.json", padded("B"))]);
    assert_eq!(
        scratch_error(&dir),
        "<dir>/root.json#/definitions/Device/properties/b: $ref \"b.json#/definitions/B\": cannot read <dir>/b.json: \
         together with the files read before it, more than the input limit of 32 MiB"
    );
}

#[test]
fn refs_inside_examples_defaults_and_enums_are_data() {
    let data = json!({ "$ref": "#/definitions/Nowhere" });
    let swagger = minimal(json!({
        "paths": { "/d": { "get": {
            "operationId": "D_Get",
            "parameters": [{ "name": "mode", "in": "query", "type": "string", "default": "a", "enum": ["a", "b"] }],
            "responses": { "200": {
                "description": "",
                "schema": { "$ref": "#/definitions/Device" },
                "examples": { "application/json": data }
            } },
            "x-ms-examples": { "Get": { "parameters": { "body": data }, "responses": { "200": { "body": data } } } }
        } } },
        "definitions": { "Device": {
            "example": data,
            "properties": {
                "config": { "type": "object", "default": data, "example": { "nested": [data] } },
                "kind": { "type": "object", "enum": [data] },
                "fixed": { "type": "object", "const": data }
            }
        } }
    }));
    let dir = scratch_case("data", &[("root.json", swagger.to_string())]);
    let doc = load::load(&dir.join("root.json")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.value["definitions"]["Device"]["properties"]["config"]["default"], data, "data is kept as written");
    normalise::normalise(doc).unwrap_or_else(|e| panic!("{e}")).parse().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn properties_named_like_data_keywords_are_schemas_whose_refs_are_followed() {
    for name in ["default", "example", "enum", "examples", "const", "value"] {
        let swagger = minimal(json!({ "definitions": { "Device": { "properties": { name: { "$ref": "#/definitions/Nope" } } } } }));
        let dir = scratch_case("named", &[("root.json", swagger.to_string())]);
        assert_eq!(
            scratch_error(&dir),
            format!("<dir>/root.json#/definitions/Device/properties/{name}: $ref \"#/definitions/Nope\" does not resolve"),
        );
    }
}

#[test]
fn openapi3_example_values_are_data_and_example_refs_are_references() {
    let data = json!({ "$ref": "#/components/schemas/Nowhere" });
    let media = |examples: Value| json!({ "application/json": { "schema": { "$ref": "#/components/schemas/Device" }, "examples": examples } });
    let doc = |examples: Value| json!({
        "openapi": "3.0.3",
        "info": { "title": "T", "version": "1" },
        "paths": { "/d": { "get": { "operationId": "D_Get", "responses": { "200": { "description": "", "content": media(examples) } } } } },
        "components": {
            "schemas": { "Device": { "type": "object", "properties": { "value": { "type": "string" } } } },
            "examples": { "Saved": { "value": data } }
        }
    });
    let ok = doc(json!({ "inline": { "value": data }, "saved": { "$ref": "#/components/examples/Saved" } }));
    let dir = scratch_case("oas3-data", &[("root.json", ok.to_string())]);
    let loaded = load::load(&dir.join("root.json")).unwrap_or_else(|e| panic!("{e}"));
    normalise::normalise(loaded).unwrap_or_else(|e| panic!("{e}")).parse().unwrap_or_else(|e| panic!("{e}"));
    let dangling = doc(json!({ "saved": { "$ref": "#/components/examples/Missing" } }));
    let dir = scratch_case("oas3-ref", &[("root.json", dangling.to_string())]);
    assert_eq!(
        scratch_error(&dir),
        "<dir>/root.json#/paths/~1d/get/responses/200/content/application~1json/examples/saved: \
         $ref \"#/components/examples/Missing\" does not resolve"
    );
}

// --- The real documents in ../shared ---------------------------------------------------------------

fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("note: {} is absent; skipping the real-document checks", dir.display());
        None
    }
}

/// Every `$ref` outside `x-ms-examples`, by the pointer of the object holding it.
fn refs(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(obj) => {
            if let Some(Value::String(r)) = obj.get("$ref") {
                out.push((at.to_owned(), r.clone()));
            }
            for (key, child) in obj.iter().filter(|(key, _)| *key != "x-ms-examples") {
                refs(
                    child,
                    &format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                refs(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// How often each extension name occurs (not counting inside `x-ms-examples`).
fn extension_counts(value: &Value, counts: &mut BTreeMap<String, usize>) {
    match value {
        Value::Object(obj) => {
            for (key, child) in obj {
                if key.starts_with("x-") {
                    *counts.entry(key.clone()).or_default() += 1;
                }
                if key != "x-ms-examples" {
                    extension_counts(child, counts);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| extension_counts(item, counts)),
        _ => {}
    }
}

#[test]
fn real_documents_load_normalise_and_parse() {
    let Some(shared) = shared_dir() else { return };
    let documents = [
        "specs/iotcentral/2022-07-31/iotcentral.json",
        "specs/iotcentral/1.0/iotcentral.json",
        "specs/dps/2017-11-15/iotdps.json",
        "testserver/swagger/lro.json",
        "testserver/swagger/paging.json",
    ];
    for relative in documents {
        let path = shared.join(relative);
        if !path.is_file() {
            println!("note: {} is absent; skipped", path.display());
            continue;
        }
        let doc = load::load(&path).and_then(normalise::normalise).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.dialect, Dialect::Swagger2, "{relative}");
        doc.parse().unwrap_or_else(|e| panic!("{e}"));

        // Every reference is in OpenAPI 3.0 form and resolves within the normalised document.
        let mut found = Vec::new();
        refs(&doc.value, "", &mut found);
        assert!(!found.is_empty(), "{relative}: no $refs at all?");
        for (at, r) in &found {
            let pointer = r
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{relative}{at}: non-local $ref {r}"));
            assert!(
                pointer.starts_with("/components/"),
                "{relative}{at}: $ref {r} not rewritten"
            );
            assert!(
                doc.value.pointer(pointer).is_some(),
                "{relative}{at}: $ref {r} does not resolve"
            );
        }

        // No extension is lost.
        let text = std::fs::read_to_string(&path).expect("readable");
        let original: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("JSON");
        let (mut before, mut after) = (BTreeMap::new(), BTreeMap::new());
        extension_counts(&original, &mut before);
        extension_counts(&doc.value, &mut after);
        for (name, count) in before {
            let kept = after.get(&name).copied().unwrap_or_default();
            assert!(
                kept >= count,
                "{relative}: {name} occurs {count} times in the input but {kept} in the output"
            );
        }
    }
}

#[test]
fn iot_central_servers_use_the_parameterized_host() {
    let Some(shared) = shared_dir() else { return };
    let path = shared.join("specs/iotcentral/2022-07-31/iotcentral.json");
    if !path.is_file() {
        return;
    }
    let doc = load::load(&path).and_then(normalise::normalise).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        doc.value["servers"][0]["url"],
        json!("https://{subdomain}.{baseDomain}/api")
    );
    assert_eq!(
        doc.value["servers"][0]["variables"]["baseDomain"]["default"],
        json!("azureiotcentral.com")
    );
    assert_eq!(
        doc.value["x-ms-parameterized-host"]["parameters"],
        json!([{ "$ref": "#/components/parameters/BaseDomain" }, { "$ref": "#/components/parameters/Subdomain" }])
    );
}
