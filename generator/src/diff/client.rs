//! The client: api-version, server (scheme, host, host parameters, base path), the parameters its
//! constructor takes, the default token scope, and the API's title and description.

use super::{At, Changes, Impact, Kind, Sides};
use crate::ir::HostValue;

const SECTION: &str = "Client";

pub(super) fn compare(sides: &Sides<'_>, out: &mut Changes) {
    let (a, b) = (sides.old, sides.new);
    let at = |rust: &str, old: &'static str, new: &'static str| At { section: SECTION, rust: rust.to_string(), old: Some(old), new: Some(new) };
    if a.version != b.version {
        let what = format!("api-version `{}` → `{}`", a.version, b.version);
        out.push(Kind::ApiVersion, Impact::Behavioural, &at("Client", "/info/version", "/info/version"), what, "every request asks the service for the new version");
    }
    let docs = at("Client", "/info", "/info");
    out.docs(&docs, Some(&a.title), Some(&b.title), "title");
    out.docs(&docs, a.description.as_deref(), b.description.as_deref(), "API description");
    let (sa, sb) = (&a.server, &b.server);
    let server = At { section: SECTION, rust: "Client::new".into(), old: Some(&sa.pointer), new: Some(&sb.pointer) };
    if (&sa.scheme, &sa.host_template) != (&sb.scheme, &sb.host_template) {
        let what = format!("endpoint `{}://{}` → `{}://{}`", sa.scheme, sa.host_template, sb.scheme, sb.host_template);
        out.push(Kind::Host, Impact::Behavioural, &server, what, "requests go to another host");
    }
    if sa.base_path != sb.base_path {
        let what = format!("base path `{}` → `{}`", sa.base_path, sb.base_path);
        out.push(Kind::Host, Impact::Behavioural, &server, what, "every request path changes");
    }
    for hp in &sb.host_params {
        let old = sa.host_params.iter().find(|h| h.wire == hp.wire);
        match (old.map(|h| &h.value), &hp.value) {
            (None | Some(HostValue::Default { .. }), HostValue::Argument(name)) => {
                let what = format!("host parameter `{}` is now an argument `{name}`", hp.wire);
                out.push(Kind::Host, Impact::Breaking, &server, what, "`Client::new` takes a new argument");
            }
            (Some(HostValue::Argument(_)), HostValue::Default { value, .. }) => {
                let what = format!("host parameter `{}` now defaults to `{value}`", hp.wire);
                out.push(Kind::Host, Impact::Breaking, &server, what, "`Client::new` takes one argument fewer");
            }
            (Some(HostValue::Default { setter: x, .. }), HostValue::Default { setter: y, .. }) if x != y => {
                let what = format!("host parameter `{}` set by `{x}` → `{y}`", hp.wire);
                out.push(Kind::Host, Impact::Breaking, &server, what, "the builder method is renamed");
            }
            (Some(HostValue::Default { value: x, .. }), HostValue::Default { value: y, .. }) if x != y => {
                let what = format!("host parameter `{}` default `{x}` → `{y}`", hp.wire);
                out.push(Kind::Host, Impact::Behavioural, &server, what, "requests go to another host");
            }
            (None, HostValue::Default { value, setter }) => {
                let what = format!("host parameter `{}` = `{value}` added", hp.wire);
                out.push(Kind::Host, Impact::Additive, &server, what, format!("a new builder method `{setter}`"));
            }
            _ => {}
        }
    }
    for hp in sa.host_params.iter().filter(|h| !sb.host_params.iter().any(|n| n.wire == h.wire)) {
        let why = match &hp.value {
            HostValue::Argument(_) => "`Client::new` takes one argument fewer".to_string(),
            HostValue::Default { setter, .. } => format!("its builder method `{setter}` is removed"),
        };
        out.push(Kind::Host, Impact::Breaking, &server, format!("host parameter `{}` removed", hp.wire), why);
    }
    for p in &b.client_params {
        match a.client_params.iter().find(|q| q.field.rust == p.field.rust) {
            None => {
                let what = format!("client parameter `{}` added", p.field.wire);
                let place = At { section: SECTION, rust: "Client::new".into(), old: None, new: Some(&p.pointer) };
                out.push(Kind::Parameter, Impact::Breaking, &place, what, "`Client::new` takes a new argument");
            }
            Some(q) if (q.location, &q.field.wire) != (p.location, &p.field.wire) => {
                let what = format!("client parameter `{}` sent as `{}` in the {:?}", q.field.wire, p.field.wire, p.location).to_lowercase();
                let place = At { section: SECTION, rust: "Client::new".into(), old: Some(&q.pointer), new: Some(&p.pointer) };
                out.push(Kind::Parameter, Impact::Behavioural, &place, what, "the same value is sent another way");
            }
            Some(_) => {}
        }
    }
    for q in a.client_params.iter().filter(|q| !b.client_params.iter().any(|p| p.field.rust == q.field.rust)) {
        let what = format!("client parameter `{}` removed", q.field.wire);
        let place = At { section: SECTION, rust: "Client::new".into(), old: Some(&q.pointer), new: None };
        out.push(Kind::Parameter, Impact::Breaking, &place, what, "`Client::new` takes one argument fewer");
    }
    if sa.scope != sb.scope {
        let show = |s: &Option<String>| s.as_ref().map_or("none".to_string(), |s| format!("`{s}`"));
        let what = format!("default token scope {} → {}", show(&sa.scope), show(&sb.scope));
        out.push(Kind::Auth, Impact::Behavioural, &server, what, "token credentials are asked for another scope");
    }
}
