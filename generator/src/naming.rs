//! Naming: the one place that turns wire names into Rust identifiers.
//!
//! Every emitted identifier comes from here, so a reader looking for "why is `@id` called `id`" or
//! "why did `certificate.name` become `certificate_name_query`" has one file to open: case conversion
//! and keywords, the names the generated code and the runtime reserve, the fixed suffix each kind of
//! clash gets, and the names made up for inline types, patch types, group structs, markers,
//! constructor arguments and captured values. Lowering stores every final name in the IR
//! ([`crate::ir::Name`] keeps the wire name beside the Rust one); emitters only derive locals here.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::Location;

/// Rust keywords that can be used as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static",
    "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Splits a wire name into words: every character that is not alphanumeric separates words.
/// `@id` → `id`, `certificate.name` → `certificate name`, `X[Y]` → `X Y`, `$top` → `top`.
/// A plural acronym stays one word: `LROs` → `Lros` (not `LR` + `Os`), `IDs` → `Ids`.
fn words(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    plural_acronyms(out.trim())
}

/// Lower-cases the tail of every run of two or more capitals followed by a lone plural `s`
/// (end of name, or a capital, digit or space after it).
fn plural_acronyms(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_uppercase() {
            i += 1;
        }
        let plural = i - start >= 2
            && bytes.get(i) == Some(&b's')
            && bytes.get(i + 1).is_none_or(|b| !b.is_ascii_lowercase());
        if plural {
            out[start + 1..i].make_ascii_lowercase();
        }
        i = if i == start { i + 1 } else { i };
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Makes `candidate` a valid identifier start: a leading digit gets `prefix`; an empty name becomes
/// `empty`.
fn fix_start(candidate: String, prefix: &str, empty: &str) -> String {
    match candidate.chars().next() {
        None => empty.to_string(),
        Some(c) if c.is_ascii_digit() => format!("{prefix}{candidate}"),
        Some(_) => candidate,
    }
}

/// Escapes keywords: `type` → `r#type`, `self` → `self_`.
fn escape_keyword(ident: String) -> String {
    if NON_RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// A type name (struct, enum, alias): `UpperCamelCase`.
/// `SharedAccessSignatureAuthorizationRule[AccessRightsDescription]` →
/// `SharedAccessSignatureAuthorizationRuleAccessRightsDescription`; `ErrorMesssage` stays as given.
pub fn type_name(wire: &str) -> String {
    let camel = words(wire).to_upper_camel_case();
    escape_keyword(fix_start(camel, "T", "Unnamed"))
}

/// An enum variant name: `UpperCamelCase` of the value; `1.0` → `V1_0`-like `V10`, `""` → `Empty`.
pub fn variant_name(wire: &str) -> String {
    let camel = words(wire).to_upper_camel_case();
    escape_keyword(fix_start(camel, "V", "Empty"))
}

/// A field, parameter, method or module name: `snake_case`.
/// `@type` → `type` → `r#type`; `displayName` → `display_name`; `api-version` → `api_version`.
pub fn snake_name(wire: &str) -> String {
    let snake = words(wire).to_snake_case();
    escape_keyword(fix_start(snake, "n", "unnamed"))
}

/// The identifier text without a raw prefix, for building derived names.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Names that generated builder methods on `Call<_>` must not take: the runtime's own methods.
pub const RESERVED_CALL_METHODS: &[&str] = &[
    "new", "send", "items", "pages", "into_poller", "into_future", "client_request_id", "set_query",
    "set_query_list", "set_header", "set_if_match", "set_if_none_match", "set_json_body", "resume_poller",
    "items_from_link", "pages_from_link", "map_request", "map_body", "stream",
];

/// Names that group accessors and root operations on the generated `Client` must not take.
pub const RESERVED_CLIENT_METHODS: &[&str] = &["new", "with_options", "builder", "pipeline", "clone", "fmt"];

/// The module holding the marker types of operations that belong to no group.
pub const ROOT_GROUP_MODULE: &str = "ungrouped";

/// The module holding the parameter groups (`x-ms-parameter-grouping`) of an API.
pub const PARAM_GROUPS_MODULE: &str = "parameter_groups";

/// Module names an API's root already uses: group modules must not take them.
pub const RESERVED_MODULES: &[&str] = &["models", "runtime", "client", ROOT_GROUP_MODULE, PARAM_GROUPS_MODULE];

/// Names the `Client` constructors and its builder use themselves: host and client parameters
/// (arguments, and builder methods) must not take them.
pub const RESERVED_CONSTRUCTOR_ARGS: &[&str] = &["credential", "options", "endpoint", "pipeline", "build", "new"];

/// Registers identifiers in one namespace and resolves clashes with a fixed rule: the first comer
/// keeps the name; a later one gets `suffix` appended (then `suffix2`, `suffix3`, … if needed).
#[derive(Clone, Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
    /// Per clashing name and suffix, the counter to try next, so that many clashes on one name cost
    /// one step each rather than a walk over every earlier counter.
    next: BTreeMap<(String, String), usize>,
}

impl Namespace {
    pub fn new(reserved: &[&str]) -> Self {
        Namespace { taken: reserved.iter().map(|s| s.to_string()).collect(), next: BTreeMap::new() }
    }

    pub fn is_taken(&self, ident: &str) -> bool {
        self.taken.contains(unraw(ident))
    }

    /// Claims `ident`, or `ident` + `suffix` (+ a counter) when it is taken. Returns the claimed name.
    pub fn claim(&mut self, ident: &str, suffix: &str) -> String {
        let base = unraw(ident);
        if self.taken.insert(base.to_string()) {
            return ident.to_string();
        }
        let next = self.next.entry((base.to_string(), suffix.to_string())).or_insert(1);
        loop {
            let counter = if *next == 1 { String::new() } else { next.to_string() };
            let candidate = format!("{base}{suffix}{counter}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

// ---------------------------------------------------------------- models

/// Model names of one API. Component schemas claim theirs first, so an inline type never takes a
/// component's name; a later clash gets a counter (`Foo2`).
#[derive(Debug, Default)]
pub struct TypeNames(Namespace);

impl TypeNames {
    pub fn new() -> Self {
        TypeNames::default()
    }

    /// Claims `candidate` (already a type name), or `candidate` + a counter.
    pub fn claim(&mut self, candidate: &str) -> String {
        self.0.claim(candidate, "")
    }

    /// The merge-patch type of `model`: `DevicePatch`.
    pub fn claim_patch(&mut self, model: &str) -> String {
        self.claim(&format!("{model}Patch"))
    }

    /// The union standing for a subtype and its own subtypes: `DogUnion`.
    pub fn claim_union(&mut self, model: &str) -> String {
        self.claim(&format!("{model}Union"))
    }
}

/// The names made up for inline (anonymous) schemas, from where they are used. The result is a
/// context text: [`type_name`] of it is the candidate name.
pub mod inline {
    use super::type_name;

    /// An operation: `Devices_Get` → `DevicesGet`.
    pub fn operation(group_wire: &str, op_wire: &str) -> String {
        format!("{}{}", type_name(group_wire), type_name(op_wire))
    }

    /// A property of a struct: `Device` + `status` → `DeviceStatus`.
    pub fn field(owner: &str, wire: &str) -> String {
        format!("{owner}{}", type_name(wire))
    }

    /// A parameter of an operation: `DevicesList` + `filter` → `DevicesListFilter`.
    pub fn param(operation: &str, wire: &str) -> String {
        format!("{operation}{}", type_name(wire))
    }

    /// The request body of an operation.
    pub fn body(operation: &str) -> String {
        format!("{operation}Body")
    }

    /// The response body of a status.
    pub fn response(operation: &str, status: u16) -> String {
        format!("{operation}Response{status}")
    }

    /// The `default` (error) response body.
    pub fn error(operation: &str) -> String {
        format!("{operation}Error")
    }

    /// A member of a `oneOf` / `anyOf`, by its title or tag value: `Shape` + `circle` → `ShapeCircle`.
    pub fn variant(union: &str, member: &str) -> String {
        format!("{union}{}", type_name(member))
    }

    /// The items of an array.
    pub fn item(context: &str) -> String {
        format!("{context}Item")
    }

    /// The values of a map (`additionalProperties`).
    pub fn value(context: &str) -> String {
        format!("{context}Value")
    }
}

/// The Rust names of a struct's fields, in the order of `wires`, and of the map field that keeps
/// other members. Names that need no sanitising (`type` → `r#type`) are claimed before sanitised
/// ones (`@type`), so the exact wire name keeps the plain identifier whatever the order; a clash
/// gets `_`.
pub fn struct_fields(wires: &[&str]) -> (Vec<String>, String) {
    let mut ns = Namespace::new(&[]);
    let mut names = vec![String::new(); wires.len()];
    for exact in [true, false] {
        for (i, wire) in wires.iter().enumerate() {
            let candidate = snake_name(wire);
            if (unraw(&candidate) == *wire) == exact {
                names[i] = ns.claim(&candidate, "_");
            }
        }
    }
    let additional = ns.claim("additional_properties", "_");
    (names, additional)
}

/// The variants of an enum, from their names (`x-ms-enum`) or values, and its catch-all variant
/// (`Other`); a clash gets `Value`.
pub fn enum_variants(names: &[&str]) -> (Vec<String>, String) {
    let mut ns = Namespace::new(&[]);
    let variants = names.iter().map(|n| ns.claim(&variant_name(n), "Value")).collect();
    (variants, ns.claim("Other", "Value"))
}

/// The variants of a discriminated union, from the discriminator values (a clash gets `Type`), and
/// the variant for unknown values (`Unknown`; on a clash `UnknownValue`).
pub fn union_variants(values: &[&str]) -> (Vec<String>, String) {
    let mut ns = Namespace::new(&[]);
    let variants = values.iter().map(|v| ns.claim(&variant_name(v), "Type")).collect();
    (variants, ns.claim("Unknown", "Value"))
}

/// Variants of an untagged union, from what each holds (a model name, `String`, `Integer`…); a
/// repeat gets a counter.
pub fn untagged_variants(kinds: &[&str]) -> Vec<String> {
    let mut ns = Namespace::new(&[]);
    kinds.iter().map(|k| ns.claim(&variant_name(k), "")).collect()
}

// ---------------------------------------------------------------- operations

/// The operationId of an operation that has none, from its method and path: `get` `/pets/{petId}`
/// → `getPetsPetId` (no `_`, so no group).
pub fn operation_id(method: &str, path: &str) -> String {
    let words = words(&format!("{method} {path}"));
    let camel = words.to_upper_camel_case();
    let mut chars = camel.chars();
    chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// Which group an operation prefix (`Devices` of `Devices_Get`) names; prefixes that differ only in
/// case or separators are one group.
pub fn group_key(wire: &str) -> String {
    snake_name(wire)
}

/// The accessor struct of a group: `Devices` → `DevicesClient`.
pub fn group_struct(wire: &str) -> String {
    type_name(&format!("{wire} Client"))
}

/// The modules of an API's groups, and the methods of its `Client`: group accessors are claimed
/// first (a clash with a reserved module or client method gets `_ops`), then [`GroupNames::root`]
/// hands the client's remaining method names to the root operations.
#[derive(Debug)]
pub struct GroupNames {
    modules: Namespace,
    client_methods: Namespace,
}

impl Default for GroupNames {
    fn default() -> Self {
        GroupNames { modules: Namespace::new(RESERVED_MODULES), client_methods: Namespace::new(RESERVED_CLIENT_METHODS) }
    }
}

impl GroupNames {
    pub fn new() -> Self {
        GroupNames::default()
    }

    /// Claims the module (which is also the accessor method) of the group with prefix `wire`.
    pub fn claim_module(&mut self, wire: &str) -> String {
        let module = self.modules.claim(&group_key(wire), "_ops");
        self.client_methods.claim(&module, "_ops")
    }

    /// The operation names of the root group: methods of `Client`, beside the group accessors.
    pub fn root(self) -> OperationNames {
        OperationNames { methods: self.client_methods, markers: Namespace::new(&["Client"]) }
    }
}

/// The method names (a clash gets `_op`) and marker type names (a clash gets `Op`) of one group's
/// operations.
#[derive(Debug)]
pub struct OperationNames {
    methods: Namespace,
    markers: Namespace,
}

impl OperationNames {
    /// A named group's operations; markers must not take `Client` or the group's struct name.
    pub fn group(struct_name: &str) -> Self {
        OperationNames { methods: Namespace::new(&[]), markers: Namespace::new(&["Client", struct_name]) }
    }

    /// The method name and marker name of the operation `op_wire` (`Get` of `Devices_Get`).
    pub fn claim(&mut self, op_wire: &str) -> (String, String) {
        (self.methods.claim(&snake_name(op_wire), "_op"), self.markers.claim(&type_name(op_wire), "Op"))
    }

    /// Another type beside the markers (`GetErrors`, an operation's error bodies), in their namespace.
    pub fn claim_type(&mut self, name: &str) -> String {
        self.markers.claim(name, "Op")
    }
}

/// The argument names of one operation: they must not take a `Call` method's name; a clash gets a
/// suffix naming where the value goes (`_path`, `_query`, `_header`, `_body`).
#[derive(Clone, Debug)]
pub struct CallArgs(Namespace);

impl Default for CallArgs {
    fn default() -> Self {
        CallArgs(Namespace::new(RESERVED_CALL_METHODS))
    }
}

impl CallArgs {
    pub fn new() -> Self {
        CallArgs::default()
    }

    pub fn param(&mut self, wire: &str, location: Location) -> String {
        let suffix = match location {
            Location::Path => "_path",
            Location::Query => "_query",
            Location::Header => "_header",
        };
        self.0.claim(&snake_name(wire), suffix)
    }

    pub fn body(&mut self, wire: &str) -> String {
        self.0.claim(&snake_name(wire), "_body")
    }

    /// Claims the argument (or builder method) of the parameter group `type_name`: [`group_arg`].
    pub fn group(&mut self, type_name: &str) {
        let arg = group_arg(type_name);
        if !self.0.is_taken(&arg) {
            self.0.claim(&arg, "");
        }
    }
}

/// The type name of a parameter group (`x-ms-parameter-grouping`), as AutoRest names it: its
/// `name` (`first-parameter-group` → `FirstParameterGroup`), else `<Group><Operation><postfix>`,
/// else `<Group><Operation>Parameters` (`ParameterGroupingPostRequiredParameters`).
pub fn param_group(group_wire: &str, op_wire: &str, name: Option<&str>, postfix: Option<&str>) -> String {
    match name {
        Some(name) => type_name(name),
        None => type_name(&format!("{group_wire} {op_wire} {}", postfix.unwrap_or("Parameters"))),
    }
}

/// The argument, or optional builder method, that takes the parameter group `type_name`: its snake
/// case name (`first_parameter_group`), with `_group` where that is a `Call` method's name. Group
/// arguments are claimed before any parameter, so this is the name.
pub fn group_arg(type_name: &str) -> String {
    let arg = snake_name(type_name);
    if RESERVED_CALL_METHODS.contains(&unraw(&arg)) {
        format!("{}_group", unraw(&arg))
    } else {
        arg
    }
}

/// The field of the client holding a client parameter (`subscriptionId` → `subscription_id`).
pub fn client_field(wire: &str) -> String {
    snake_name(wire)
}

/// A host template variable as a Rust name (`baseDomain` → `base_domain`), before clashes.
pub fn host_param(wire: &str) -> String {
    snake_name(wire)
}

/// The `Client` constructor's arguments and its builder's methods: host parameters (a clash gets
/// `_host`), then client parameters (a clash gets `_param`), none taking a name the constructor or
/// the builder uses itself.
#[derive(Debug)]
pub struct ConstructorArgs(Namespace);

impl Default for ConstructorArgs {
    fn default() -> Self {
        ConstructorArgs(Namespace::new(RESERVED_CONSTRUCTOR_ARGS))
    }
}

impl ConstructorArgs {
    pub fn new() -> Self {
        ConstructorArgs::default()
    }

    pub fn host(&mut self, name: &str) -> String {
        self.0.claim(name, "_host")
    }

    pub fn client(&mut self, name: &str) -> String {
        self.0.claim(name, "_param")
    }
}

/// The owned copy of argument `arg` a next-page request captures: `next_device_id`.
pub fn next_capture(arg: &str) -> String {
    format!("next_{}", unraw(arg))
}

/// The owned copy of the client field `field` a next-page request captures: `next_client_subscription_id`.
pub fn next_client_capture(field: &str) -> String {
    format!("next_client_{}", unraw(field))
}

/// The modules of a crate generated from several documents, one per document file stem
/// (`2017-11-15` → `v_2017_11_15`); a clash gets `_`.
#[derive(Debug)]
pub struct DocumentModules(Namespace);

impl Default for DocumentModules {
    fn default() -> Self {
        DocumentModules(Namespace::new(&["runtime"]))
    }
}

impl DocumentModules {
    pub fn new() -> Self {
        DocumentModules::default()
    }

    pub fn claim(&mut self, stem: &str) -> String {
        self.0.claim(&snake_name(&format!("v {stem}")), "_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let cases = [
            ("Device", "Device"),
            ("deviceGroup", "DeviceGroup"),
            ("ADGroupUser", "AdGroupUser"),
            ("ErrorMesssage", "ErrorMesssage"),
            ("SharedAccessSignatureAuthorizationRule[AccessRightsDescription]", "SharedAccessSignatureAuthorizationRuleAccessRightsDescription"),
            ("X509Certificate", "X509Certificate"),
            ("2Fast", "T2fast"),
            ("LROs", "Lros"),
            ("Self", "Self_"),
            ("", "Unnamed"),
            ("some.dotted-name", "SomeDottedName"),
        ];
        for (wire, rust) in cases {
            assert_eq!(type_name(wire), rust, "type_name({wire:?})");
        }
    }

    #[test]
    fn snake_names() {
        let cases = [
            ("displayName", "display_name"),
            ("@id", "id"),
            ("@type", "r#type"),
            ("type", "r#type"),
            ("self", "self_"),
            ("api-version", "api_version"),
            ("certificate.name", "certificate_name"),
            ("certificateName", "certificate_name"),
            ("$top", "top"),
            ("x-ms-client-request-id", "x_ms_client_request_id"),
            ("If-Match", "if_match"),
            ("HttpStatusCode", "http_status_code"),
            ("1stItem", "n1st_item"),
            ("", "unnamed"),
            ("LROs", "lros"),
            ("LROsCustomHeader", "lros_custom_header"),
            ("LROSADs", "lrosads"),
            ("deviceIDs", "device_ids"),
            ("HTTPSProxy", "https_proxy"),
            ("ADGroupUser", "ad_group_user"),
        ];
        for (wire, rust) in cases {
            assert_eq!(snake_name(wire), rust, "snake_name({wire:?})");
        }
    }

    #[test]
    fn variant_names() {
        let cases = [
            ("primary", "Primary"),
            ("S1", "S1"),
            ("servicePrincipal", "ServicePrincipal"),
            ("x509", "X509"),
            ("1.0", "V10"),
            ("", "Empty"),
            ("Self", "Self_"),
            ("EnrollmentRead", "EnrollmentRead"),
        ];
        for (wire, rust) in cases {
            assert_eq!(variant_name(wire), rust, "variant_name({wire:?})");
        }
    }

    #[test]
    fn namespace_suffixes_later_claims() {
        let mut ns = Namespace::new(&["send"]);
        assert_eq!(ns.claim("certificate_name", "_query"), "certificate_name");
        assert_eq!(ns.claim("certificate_name", "_query"), "certificate_name_query");
        assert_eq!(ns.claim("certificate_name", "_query"), "certificate_name_query2");
        assert_eq!(ns.claim("send", "_param"), "send_param");
        assert_eq!(ns.claim("r#type", "_"), "r#type");
        assert_eq!(ns.claim("r#type", "_"), "type_");
    }

    #[test]
    fn type_names_count_clashes_and_name_patch_types() {
        let mut types = TypeNames::new();
        assert_eq!(types.claim("Device"), "Device");
        assert_eq!(types.claim("Device"), "Device2");
        assert_eq!(types.claim_patch("Device"), "DevicePatch");
        assert_eq!(types.claim_patch("Device"), "DevicePatch2");
    }

    #[test]
    fn inline_type_contexts() {
        let cases = [
            (inline::operation("Devices", "List"), "DevicesList"),
            // A root operation has an empty prefix, which names as `Unnamed`.
            (inline::operation("", "getThing"), "UnnamedGetThing"),
            (inline::field("Device", "status"), "DeviceStatus"),
            (inline::field("Device", "@odata.type"), "DeviceOdataType"),
            (inline::param("DevicesList", "$filter"), "DevicesListFilter"),
            (inline::body("DevicesCreate"), "DevicesCreateBody"),
            (inline::response("DevicesGet", 200), "DevicesGetResponse200"),
            (inline::error("DevicesGet"), "DevicesGetError"),
            (inline::item("DeviceTags"), "DeviceTagsItem"),
            (inline::value("DeviceTags"), "DeviceTagsValue"),
        ];
        for (context, expected) in cases {
            assert_eq!(context, expected);
        }
    }

    #[test]
    fn struct_fields_prefer_exact_wire_names_and_suffix_clashes() {
        let cases: &[(&[&str], &[&str], &str)] = &[
            (&["displayName", "id"], &["display_name", "id"], "additional_properties"),
            (&["@type", "type"], &["type_", "r#type"], "additional_properties"),
            (&["a-b", "a_b"], &["a_b_", "a_b"], "additional_properties"),
            (&["additionalProperties"], &["additional_properties"], "additional_properties_"),
        ];
        for (wires, fields, additional) in cases {
            let (names, extra) = struct_fields(wires);
            assert_eq!(names, *fields, "{wires:?}");
            assert_eq!(extra, *additional, "{wires:?}");
        }
    }

    #[test]
    fn enum_and_union_variants_suffix_clashes_and_keep_a_catch_all() {
        assert_eq!(enum_variants(&["a", "A", "other"]), (vec!["A".into(), "AValue".into(), "Other".into()], "OtherValue".into()));
        assert_eq!(enum_variants(&["x"]), (vec!["X".into()], "Other".into()));
        assert_eq!(union_variants(&["x509", "X509", "unknown"]), (vec!["X509".into(), "X509Type".into(), "Unknown".into()], "UnknownValue".into()));
    }

    #[test]
    fn operations_without_an_id_are_named_after_method_and_path() {
        assert_eq!(operation_id("post", "/streams"), "postStreams");
        assert_eq!(operation_id("get", "/pets/{petId}"), "getPetsPetId");
        assert_eq!(operation_id("delete", "/"), "delete");
    }

    #[test]
    fn group_modules_avoid_reserved_modules_and_client_methods() {
        let mut groups = GroupNames::new();
        let cases = [
            ("Devices", "devices"),
            ("devices", "devices_ops"),
            ("Models", "models_ops"),
            ("Runtime", "runtime_ops"),
            ("Client", "client_ops"),
            ("Ungrouped", "ungrouped_ops"),
            ("Pipeline", "pipeline_ops"),
            ("New", "new_ops"),
        ];
        for (wire, module) in cases {
            assert_eq!(groups.claim_module(wire), module, "{wire}");
        }
        assert_eq!(group_struct("Devices"), "DevicesClient");
        assert_eq!(group_struct("device-groups"), "DeviceGroupsClient");
        assert_eq!(group_key("DeviceGroups"), group_key("deviceGroups"));
        // Root operations come after the accessors: they must not take a group's name.
        let mut root = groups.root();
        assert_eq!(root.claim("Devices"), ("devices_op".into(), "Devices".into()));
        assert_eq!(root.claim("Clone"), ("clone_op".into(), "Clone".into()));
        assert_eq!(root.claim("Client"), ("client".into(), "ClientOp".into()));
    }

    #[test]
    fn group_operations_suffix_method_and_marker_clashes() {
        let mut ops = OperationNames::group("DevicesClient");
        assert_eq!(ops.claim("Get"), ("get".into(), "Get".into()));
        assert_eq!(ops.claim("get"), ("get_op".into(), "GetOp".into()));
        assert_eq!(ops.claim("DevicesClient"), ("devices_client".into(), "DevicesClientOp".into()));
        assert_eq!(ops.claim("Client"), ("client".into(), "ClientOp".into()));
        assert_eq!(ops.claim_type("GetErrors"), "GetErrors");
        assert_eq!(ops.claim("GetErrors"), ("get_errors".into(), "GetErrorsOp".into()));
    }

    #[test]
    fn call_arguments_avoid_call_methods_and_name_the_location_on_a_clash() {
        let mut args = CallArgs::new();
        let cases = [
            (args.param("name", Location::Path), "name"),
            (args.param("name", Location::Query), "name_query"),
            (args.param("Name", Location::Header), "name_header"),
            (args.param("send", Location::Query), "send_query"),
            (args.param("items", Location::Path), "items_path"),
            (args.body("name"), "name_body"),
            (args.body("body"), "body"),
        ];
        for (claimed, expected) in cases {
            assert_eq!(claimed, expected);
        }
    }

    #[test]
    fn parameter_groups_are_named_as_autorest_names_them() {
        let cases = [
            (param_group("parameterGrouping", "postRequired", None, None), "ParameterGroupingPostRequiredParameters"),
            (param_group("parameterGrouping", "postMultiParamGroups", None, Some("second-param-group")), "ParameterGroupingPostMultiParamGroupsSecondParamGroup"),
            (param_group("parameterGrouping", "x", Some("first-parameter-group"), Some("ignored")), "FirstParameterGroup"),
            (param_group("", "getThing", None, None), "GetThingParameters"),
        ];
        for (name, expected) in cases {
            assert_eq!(name, expected);
        }
        assert_eq!(group_arg("FirstParameterGroup"), "first_parameter_group");
        assert_eq!(group_arg("Send"), "send_group");
        let mut args = CallArgs::new();
        args.group("FirstParameterGroup");
        args.group("FirstParameterGroup");
        assert_eq!(args.param("first-parameter-group", Location::Query), "first_parameter_group_query");
    }

    #[test]
    fn constructor_arguments_avoid_constructor_names() {
        let mut args = ConstructorArgs::new();
        let cases = [
            (args.host(&host_param("subdomain")), "subdomain"),
            (args.host(&host_param("endpoint")), "endpoint_host"),
            (args.client(&client_field("subdomain")), "subdomain_param"),
            (args.client(&client_field("credential")), "credential_param"),
            (args.host(&host_param("build")), "build_host"),
            (args.client(&client_field("subscriptionId")), "subscription_id"),
        ];
        for (claimed, expected) in cases {
            assert_eq!(claimed, expected);
        }
    }

    #[test]
    fn next_page_captures_and_document_modules() {
        assert_eq!(next_capture("device_id"), "next_device_id");
        assert_eq!(next_capture("r#type"), "next_type");
        assert_eq!(next_client_capture("subscription_id"), "next_client_subscription_id");
        let mut modules = DocumentModules::new();
        assert_eq!(modules.claim("2017-11-15"), "v_2017_11_15");
        assert_eq!(modules.claim("2017_11_15"), "v_2017_11_15_");
        assert_eq!(modules.claim("lro"), "v_lro");
    }
}
