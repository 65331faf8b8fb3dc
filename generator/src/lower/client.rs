//! The client: where requests go (server, host parameters) and the parameters the client holds, with
//! the names of its constructor's arguments.

use std::collections::BTreeMap;

use super::Cx;
use crate::load::Dialect;
use crate::extensions;
use crate::ir::{ClientParam, ClientParamId, HostParam, HostValue, Location, Name, Server};
use crate::naming::{self, ConstructorArgs};

/// The first server of the document (`https://localhost` when there is none), with a host parameter
/// per template variable; variables without a default become constructor arguments, claimed in
/// `ConstructorArgs` before any client parameter, and those with one methods of the client builder.
/// A template that starts with a variable and names no scheme (`useSchemePrefix: false`:
/// `{vaultBaseUrl}`) takes the scheme from its values: the server's scheme is empty. A fixed host is also the default token scope
/// (`https://management.azure.com/.default` for ARM): Azure resources are named by their host, while
/// a host with parameters (one per application) says nothing about the resource.
pub(super) fn lower_server(cx: &Cx<'_>) -> (Server, ConstructorArgs) {
    let server = cx.doc.servers.first();
    let url = server.map(|s| s.url.as_str()).unwrap_or("https://localhost");
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s.to_string(), r),
        None if url.starts_with('{') => (String::new(), url),
        None => ("https".to_string(), url),
    };
    let (host, base) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let mut args = ConstructorArgs::new();
    let mut host_params = Vec::new();
    if let Some(vars) = server.and_then(|s| s.variables.as_ref()) {
        let mut rest = host;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else { break };
            let var = &rest[start + 1..start + len];
            let v = vars.get(var);
            let value = match v.map(|v| v.default.clone()).filter(|d| !d.is_empty()) {
                Some(value) => HostValue::Default { value, setter: args.host(&naming::host_param(var)) },
                None => HostValue::Argument(args.host(&naming::host_param(var))),
            };
            host_params.push(HostParam { wire: var.to_string(), doc: v.and_then(|v| v.description.clone()), value });
            rest = &rest[start + len + 1..];
        }
    }
    let scope = (server.is_some() && !host.is_empty() && !host.contains('{')).then(|| format!("https://{host}/.default"));
    let pointer = match cx.dialect {
        Dialect::Swagger2 if cx.doc.extensions.contains_key(extensions::PARAMETERIZED_HOST) => extensions::PARAMETERIZED_HOST_POINTER,
        Dialect::Swagger2 => "/host",
        Dialect::OpenApi3 => "/servers/0",
    };
    let server = Server {
        pointer: pointer.to_string(),
        scheme,
        host_template: host.to_string(),
        base_path: base.trim_end_matches('/').to_string(),
        host_params,
        scope,
    };
    (server, args)
}

/// The parameters the client holds, in the order operations first use them.
#[derive(Debug)]
pub(super) struct ClientParams {
    args: ConstructorArgs,
    params: Vec<ClientParam>,
    by_wire: BTreeMap<String, ClientParamId>,
}

impl ClientParams {
    /// `args` holds the constructor arguments claimed so far (the host parameters).
    pub fn new(args: ConstructorArgs) -> Self {
        ClientParams { args, params: Vec::new(), by_wire: BTreeMap::new() }
    }

    /// The client parameter with wire name `wire` (named `rust_wire` in the client, its
    /// `x-ms-client-name` or the wire name), added on first use.
    pub fn register(&mut self, wire: &str, rust_wire: &str, doc: Option<String>, location: Location, pointer: &str) -> ClientParamId {
        if let Some(id) = self.by_wire.get(wire) {
            return *id;
        }
        let field = naming::client_field(rust_wire);
        let arg = self.args.client(&field);
        let field = Name { rust: field, wire: wire.to_string() };
        self.params.push(ClientParam { field, arg, doc, location, pointer: pointer.to_string() });
        let id = ClientParamId(self.params.len() - 1);
        self.by_wire.insert(wire.to_string(), id);
        id
    }

    pub fn into_params(self) -> Vec<ClientParam> {
        self.params
    }
}
