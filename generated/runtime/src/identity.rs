//! Who is calling: the generated crate's name and version, sent in `User-Agent`, and the
//! `tracing` span its requests run in. [`client_info!`](crate::client_info) captures both in the
//! generated crate, so every client reports itself rather than this runtime.

use reqwest::Method;

/// This runtime's part of `User-Agent`. A literal rather than `env!`, because a copy of these sources
/// compiled as a module of a generated crate would read that crate's package version.
pub(crate) const RUNTIME_AGENT: &str = "iot-rest-runtime/0.1.0";

/// Makes the span one request (all its attempts) is traced in.
type RequestSpan = fn(&Method, &dyn std::fmt::Display) -> tracing::Span;

/// The identity of a generated client crate, made by [`client_info!`](crate::client_info) where it
/// is invoked: the crate's package name and version, and a span constructor whose target is the
/// invoking module and whose name is `<crate name>.request` (fields `method`, `path`, `status`,
/// `attempt`).
#[derive(Clone, Copy, Debug)]
pub struct ClientInfo {
    name: &'static str,
    version: &'static str,
    span: RequestSpan,
}

impl ClientInfo {
    /// Use [`client_info!`](crate::client_info), which fills these in for the invoking crate.
    #[doc(hidden)]
    pub const fn new(name: &'static str, version: &'static str, span: RequestSpan) -> Self {
        ClientInfo { name, version, span }
    }

    /// The client crate's package name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The client crate's package version.
    pub fn version(&self) -> &'static str {
        self.version
    }

    /// The `User-Agent` every request sends: `<crate>/<version> iot-rest-runtime/<version>`.
    pub fn user_agent(&self) -> String {
        format!("{}/{} {RUNTIME_AGENT}", self.name, self.version)
    }

    /// A new span for one request.
    pub(crate) fn request_span(&self, method: &Method, path: &dyn std::fmt::Display) -> tracing::Span {
        (self.span)(method, path)
    }
}

/// The [`ClientInfo`] of the crate that invokes it: its `CARGO_PKG_NAME` and `CARGO_PKG_VERSION`,
/// and request spans named `<CARGO_CRATE_NAME>.request` with the invoking module as target.
///
/// Generated API roots pass it to [`Pipeline::new`](crate::Pipeline::new).
#[macro_export]
macro_rules! client_info {
    () => {
        $crate::ClientInfo::new(::core::env!("CARGO_PKG_NAME"), ::core::env!("CARGO_PKG_VERSION"), {
            fn request_span(method: &$crate::Method, path: &dyn ::core::fmt::Display) -> $crate::tracing::Span {
                $crate::tracing::info_span!(
                    target: ::core::module_path!(),
                    ::core::concat!(::core::env!("CARGO_CRATE_NAME"), ".request"),
                    method = %method,
                    path = %path,
                    status = $crate::tracing::field::Empty,
                    attempt = $crate::tracing::field::Empty,
                )
            }
            request_span
        })
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// Records the name and target of every span created while it is the default subscriber.
    #[derive(Clone, Default)]
    struct Spans(Arc<Mutex<Vec<(String, String)>>>);

    impl Subscriber for Spans {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut spans = self.0.lock().unwrap();
            spans.push((span.metadata().name().to_string(), span.metadata().target().to_string()));
            Id::from_u64(spans.len() as u64)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, _: &Event<'_>) {}
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    #[test]
    fn the_invoking_crate_names_the_user_agent_and_the_span() {
        let info = crate::client_info!();
        assert_eq!(info.name(), env!("CARGO_PKG_NAME"));
        assert_eq!(
            info.user_agent(),
            format!("{}/{} {RUNTIME_AGENT}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
        );
        let spans = Spans::default();
        tracing::subscriber::with_default(spans.clone(), || drop(info.request_span(&Method::GET, &"/x")));
        let recorded = spans.0.lock().unwrap().clone();
        let name = format!("{}.request", env!("CARGO_CRATE_NAME"));
        assert_eq!(recorded, vec![(name, module_path!().to_string())]);
    }

    #[test]
    fn the_runtime_agent_is_this_package() {
        // Only meaningful in the runtime's own package; a copied module has its crate's version.
        if env!("CARGO_PKG_NAME") == "iot-rest-runtime" {
            assert_eq!(RUNTIME_AGENT, concat!("iot-rest-runtime/", env!("CARGO_PKG_VERSION")));
        }
    }
}
