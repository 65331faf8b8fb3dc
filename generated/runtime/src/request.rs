//! Request building: [`RequestBuilder`], which generated code drives (path segments, query and
//! header parameters, bodies, all percent-encoded or checked here), and the prepared request the
//! send loop sends and re-sends.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, Url};

use crate::form::{Form, FormEncoding};
use crate::params::{encode_query_name, encode_query_value, push_component};
use crate::serde_support::with_request_body;
use crate::upload::PreparedBody;
use crate::{BinaryBody, CollectionFormat, Error, IfMatch, ParamValue, Pipeline, Result};

/// A request under construction by generated code. Mistakes (invalid header values,
/// body serialisation errors, an [`IfMatch`] without an ETag) are kept and reported as
/// [`ErrorKind::NotBuilt`] when the request is sent; nothing is sent then.
#[doc(hidden)]
#[derive(Debug)]
pub struct RequestBuilder {
    pipeline: Pipeline,
    method: Method,
    /// The path, then the query as it is set (percent-encoded, in the order set).
    url: String,
    /// Where the query starts in `url` (its `?`, or `&` when the path already had a `?`).
    query: Option<usize>,
    headers: HeaderMap,
    body: Option<Body>,
    /// Boxed: rarely set, and the builder is kept in futures and pagers by value.
    request_id_header: Option<Box<HeaderName>>,
    error: Option<Error>,
}

/// A request body as built: bytes (JSON, text), a caller's binary body, or a form encoded when the
/// request is prepared (the last two boxed: rarely set, and no bigger than the bytes beside them).
#[derive(Debug)]
enum Body {
    Bytes(Vec<u8>),
    Binary(Box<BinaryBody>),
    Form(Box<Form>),
}

/// A request ready to send (and to re-send on retries).
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<PreparedBody>,
    /// The header that carries the client request id, when it is not `x-ms-client-request-id`.
    pub(crate) request_id_header: Option<HeaderName>,
}

impl Prepared {
    /// A plain GET of `url` (next pages, polling).
    pub(crate) fn get(url: Url) -> Prepared {
        Prepared { method: Method::GET, url, headers: HeaderMap::new(), body: None, request_id_header: None }
    }

    /// Whether the request can be sent again: no body, bytes, or a stream not read yet.
    pub(crate) fn resendable(&self) -> bool {
        self.body.as_ref().is_none_or(PreparedBody::resendable)
    }
}

impl RequestBuilder {
    /// A request of `method` whose URL starts with `base` (endpoint + base path).
    pub(crate) fn new(pipeline: Pipeline, method: Method, base: &str) -> Self {
        RequestBuilder {
            pipeline,
            method,
            // Room for a typical path and query: one allocation instead of a few regrowths.
            url: {
                let mut url = String::with_capacity(base.len() + 128);
                url.push_str(base);
                url
            },
            query: None,
            headers: HeaderMap::new(),
            body: None,
            request_id_header: None,
            error: None,
        }
    }

    /// The pipeline this request will be sent through.
    pub(crate) fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(Error::not_built(message));
        }
    }

    /// Appends literal path text from the template, as-is (e.g. `"/devices/"`).
    #[doc(hidden)]
    pub fn path(mut self, literal: &'static str) -> Self {
        self.path_text(literal);
        self
    }

    /// Appends path text, which must come before the query.
    fn path_text(&mut self, text: &str) {
        if self.query.is_some() {
            self.fail(format!("path text {text:?} after the query"));
        }
        self.url.push_str(text);
    }

    /// Appends `value` percent-encoded as one path segment (`/` included).
    #[doc(hidden)]
    pub fn path_param(mut self, value: &str) -> Self {
        if value.is_empty() || value == "." || value == ".." {
            // Would address a different resource after URL normalisation.
            self.fail(format!("path parameter \"{value}\" is not a valid path segment"));
        }
        if self.query.is_some() {
            self.fail(format!("path parameter \"{value}\" after the query"));
        }
        push_component(&mut self.url, value);
        self
    }

    /// Appends `value` unencoded (`x-ms-skip-url-encoding`).
    #[doc(hidden)]
    pub fn path_param_raw(mut self, value: &str) -> Self {
        if value.is_empty() {
            self.fail("path parameter is empty".to_string());
        }
        self.path_text(value);
        self
    }

    /// Sets query parameter `name` (replacing an earlier value).
    #[doc(hidden)]
    pub fn query(mut self, name: &'static str, value: impl ParamValue) -> Self {
        if let Some(error) = value.param_error() {
            self.fail(format!("query parameter {name}: {error}"));
        }
        self.remove_query(name);
        value.with_param(|text| {
            self.begin_query(name);
            push_component(&mut self.url, text);
        });
        self
    }

    /// Sets query parameter `name` when `value` is `Some` (an optional parameter of a group).
    #[doc(hidden)]
    pub fn query_opt(self, name: &'static str, value: Option<impl ParamValue>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Sets query parameter `name` to `value` as it is, unencoded (`x-ms-skip-url-encoding`): the
    /// value may add further parameters (`a&b=c`), as the document asks (setting `name` again
    /// replaces the first of them only).
    #[doc(hidden)]
    pub fn query_raw(mut self, name: &'static str, value: impl ParamValue) -> Self {
        if let Some(error) = value.param_error() {
            self.fail(format!("query parameter {name}: {error}"));
        }
        self.remove_query(name);
        value.with_param(|text| {
            if text.contains('#') {
                // Would end the URL's query and start a fragment.
                self.fail(format!("query parameter {name}: an unencoded value cannot contain '#'"));
            }
            self.begin_query(name);
            self.url.push_str(text);
        });
        self
    }

    /// [`RequestBuilder::query_raw`] when `value` is `Some`.
    #[doc(hidden)]
    pub fn query_raw_opt(self, name: &'static str, value: Option<impl ParamValue>) -> Self {
        match value {
            Some(value) => self.query_raw(name, value),
            None => self,
        }
    }

    /// Sets array query parameter `name` joined per `format` (replacing earlier values).
    #[doc(hidden)]
    pub fn query_list<T: ParamValue>(self, name: &'static str, values: &[T], format: CollectionFormat) -> Self {
        let values = values.iter().map(ParamValue::to_param).collect();
        self.query_list_text(name, values, format)
    }

    fn query_list_text(mut self, name: &'static str, values: Vec<String>, format: CollectionFormat) -> Self {
        self.remove_query(name);
        if format == CollectionFormat::Multi {
            for value in &values {
                self.begin_query(name);
                push_component(&mut self.url, value);
            }
        } else if !values.is_empty() {
            let separator = encode_query_value(format.separator());
            let separator = if format == CollectionFormat::Csv { "," } else { separator.as_str() };
            let joined = values.iter().map(|v| encode_query_value(v)).collect::<Vec<_>>().join(separator);
            self.begin_query(name);
            self.url.push_str(&joined);
        }
        self
    }

    /// Starts parameter `name` at the end of the query: its separator, its name and `=`.
    fn begin_query(&mut self, name: &str) {
        self.query.get_or_insert(self.url.len());
        self.push_query_separator();
        self.url.push_str(&encode_query_name(name));
        self.url.push('=');
    }

    /// The query's parameters: `name=value` text, percent-encoded.
    fn query_parts(&self) -> impl Iterator<Item = &str> {
        let query = self.query.and_then(|start| self.url.get(start + 1..)).unwrap_or_default();
        query.split('&').filter(|part| !part.is_empty())
    }

    /// Removes every earlier value of `name` from the query.
    fn remove_query(&mut self, name: &str) {
        let Some(start) = self.query else { return };
        let name = encode_query_name(name);
        let is_name = |part: &str| part.split_once('=').map_or(part, |(n, _)| n) == name;
        if !self.query_parts().any(is_name) {
            return;
        }
        let kept: Vec<String> = self.query_parts().filter(|part| !is_name(part)).map(str::to_string).collect();
        self.url.truncate(start);
        if !kept.is_empty() {
            self.push_query_separator();
            self.url.push_str(&kept.join("&"));
        }
    }

    /// `?` before the query's first parameter (`&` when the path already had a `?`), else `&`.
    fn push_query_separator(&mut self) {
        let first = self.query == Some(self.url.len()) && !self.url.contains('?');
        self.url.push(if first { '?' } else { '&' });
    }

    /// Sets header `name` (replacing an earlier value).
    #[doc(hidden)]
    pub fn header(self, name: &'static str, value: impl ParamValue) -> Self {
        let error = value.param_error();
        value.with_param(|text| self.header_text(name, error, text))
    }

    fn header_text(mut self, name: &'static str, error: Option<&'static str>, value: &str) -> Self {
        if let Some(error) = error {
            self.fail(format!("header {name}: {error}"));
        }
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            (Ok(name), Ok(value)) => {
                self.headers.insert(name, value);
            }
            _ => self.fail(format!("header {name}: not a valid header name or value")),
        }
        self
    }

    /// Sets header `name` when `value` is `Some` (an optional parameter of a group).
    #[doc(hidden)]
    pub fn header_opt(self, name: &'static str, value: Option<impl ParamValue>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// Sends the call's client request id in header `name` instead of `x-ms-client-request-id`
    /// (a parameter with `x-ms-client-request-id: true`).
    #[doc(hidden)]
    pub fn client_request_id_header(mut self, name: &'static str) -> Self {
        match HeaderName::from_bytes(name.as_bytes()) {
            Ok(name) => self.request_id_header = Some(Box::new(name)),
            Err(_) => self.fail(format!("header {name}: not a valid header name")),
        }
        self
    }

    /// Sets `If-Match`.
    #[doc(hidden)]
    pub fn if_match(self, condition: IfMatch) -> Self {
        self.header("If-Match", condition)
    }

    /// Sets `If-None-Match`.
    #[doc(hidden)]
    pub fn if_none_match(self, condition: IfMatch) -> Self {
        self.header("If-None-Match", condition)
    }

    /// Serialises `value` as the JSON body now, with read-only fields left out.
    #[doc(hidden)]
    pub fn json_body<T: serde::Serialize + ?Sized>(self, content_type: &'static str, value: &T) -> Self {
        let body = with_request_body(|| serde_json::to_vec(value));
        self.body_bytes(content_type, body.map_err(|e| format!("request body: {e}")))
    }

    /// Sets a text body.
    #[doc(hidden)]
    pub fn text_body(self, content_type: &'static str, text: impl Into<String>) -> Self {
        self.body_bytes(content_type, Ok(text.into().into_bytes()))
    }

    /// Sets a binary body sent as is, of `content_type` (XML too: the caller encodes it): bytes or a
    /// stream.
    #[doc(hidden)]
    pub fn bytes_body(self, content_type: &str, body: impl Into<BinaryBody>) -> Self {
        self.set_body(content_type, Ok(Body::Binary(Box::new(body.into()))))
    }

    /// Makes the body a form sent as `encoding`, with the fields [`form_field`](Self::form_field)
    /// and [`form_file`](Self::form_file) add.
    #[doc(hidden)]
    pub fn form(mut self, encoding: FormEncoding) -> Self {
        self.body = Some(Body::Form(Box::new(Form::new(encoding))));
        self
    }

    /// Adds a text field to the form body.
    #[doc(hidden)]
    pub fn form_field(mut self, name: &'static str, value: impl ParamValue) -> Self {
        match (value.param_error(), self.body.as_mut()) {
            (Some(why), _) => self.fail(format!("form field {name}: {why}")),
            (None, Some(Body::Form(form))) => form.text(name, value.to_param()),
            (None, _) => self.fail(format!("form field {name}: the request has no form body")),
        }
        self
    }

    /// Adds a text field per item (a form's way of sending an array).
    #[doc(hidden)]
    pub fn form_fields<T: ParamValue>(self, name: &'static str, values: &[T]) -> Self {
        values.iter().fold(self, |request, value| request.form_field(name, value))
    }

    /// Adds a file part per item.
    #[doc(hidden)]
    pub fn form_files(self, name: &'static str, files: &[&[u8]]) -> Self {
        files.iter().fold(self, |request, file| request.form_file(name, *file))
    }

    /// Adds a file part to the form body.
    #[doc(hidden)]
    pub fn form_file(mut self, name: &'static str, bytes: impl Into<Vec<u8>>) -> Self {
        match self.body.as_mut() {
            Some(Body::Form(form)) => form.file(name, bytes.into()),
            _ => self.fail(format!("form file {name}: the request has no form body")),
        }
        self
    }

    fn body_bytes(self, content_type: &str, body: std::result::Result<Vec<u8>, String>) -> Self {
        self.set_body(content_type, body.map(Body::Bytes))
    }

    fn set_body(mut self, content_type: &str, body: std::result::Result<Body, String>) -> Self {
        match (body, HeaderValue::from_str(content_type)) {
            (Ok(body), Ok(content_type)) => {
                self.headers.insert(CONTENT_TYPE, content_type);
                self.body = Some(body);
            }
            (Err(message), _) => self.fail(message),
            (_, Err(_)) => self.fail(format!("invalid content type {content_type:?}")),
        }
        self
    }

    /// The (encoded) value of query parameter `name`, if set.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        let name = encode_query_name(name);
        self.query_parts().find_map(|part| part.split_once('=').filter(|(n, _)| *n == name).map(|(_, v)| v))
    }

    /// The final URL and headers, or the first mistake made while building.
    pub(crate) fn prepare(self) -> Result<Prepared> {
        self.split().1
    }

    /// The pipeline, and the request [prepared](RequestBuilder::prepare): no copy of the pipeline
    /// for a call that needs both.
    pub(crate) fn split(self) -> (Pipeline, Result<Prepared>) {
        let RequestBuilder { pipeline, method, url, query: _, mut headers, body, request_id_header, error } = self;
        if let Some(error) = error {
            return (pipeline, Err(error));
        }
        let body = match body {
            Some(Body::Form(form)) => {
                let (body, content_type) = form.encode();
                match HeaderValue::from_str(&content_type) {
                    Ok(content_type) => headers.insert(CONTENT_TYPE, content_type),
                    Err(_) => return (pipeline, Err(Error::not_built("invalid form content type"))),
                };
                Some(PreparedBody::Bytes(body.into()))
            }
            Some(Body::Bytes(body)) => Some(PreparedBody::Bytes(body.into())),
            Some(Body::Binary(body)) => Some(body.prepare()),
            None => None,
        };
        let prepared = pipeline.parse_request_url(&url).map(|url| Prepared {
            method,
            url,
            headers,
            body,
            request_id_header: request_id_header.map(|h| *h),
        });
        (pipeline, prepared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClientOptions, Credential, ErrorKind};

    fn pipeline(endpoint: &str, base_path: &str) -> Pipeline {
        Pipeline::new(crate::client_info!(), endpoint, base_path, Credential::none(), ClientOptions::default()).unwrap()
    }

    #[test]
    fn path_params_are_encoded_as_one_segment() {
        let p = pipeline("https://h", "/api");
        let req = p.request(Method::GET).path("/devices/").path_param("a/b c").path("/x").prepare().unwrap();
        assert_eq!(req.url.as_str(), "https://h/api/devices/a%2Fb%20c/x");
        let raw = p.request(Method::GET).path("/r/").path_param_raw("a/b").prepare().unwrap();
        assert_eq!(raw.url.as_str(), "https://h/api/r/a/b");
    }

    #[test]
    fn dot_and_empty_path_params_are_rejected() {
        let p = pipeline("https://h", "/api");
        for bad in ["", ".", ".."] {
            let err = p.request(Method::GET).path("/devices/").path_param(bad).prepare().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::NotBuilt);
        }
    }

    #[test]
    fn query_parameters_are_encoded_replaced_and_listed() {
        let p = pipeline("https://h", "");
        let req = p
            .request(Method::GET)
            .path("/d")
            .query("api-version", "2022-07-31")
            .query("$filter", "a eq 'b&c'")
            .query("maxpagesize", 10)
            .query("maxpagesize", 25)
            .query_list("csv", &["a,b", "c"], CollectionFormat::Csv)
            .query_list("ssv", &["a", "b"], CollectionFormat::Ssv)
            .query_list("pipes", &["a", "b"], CollectionFormat::Pipes)
            .query_list("multi", &[1, 2], CollectionFormat::Multi)
            .query_list("none", &[] as &[i32], CollectionFormat::Csv)
            .prepare()
            .unwrap();
        assert_eq!(
            req.url.as_str(),
            "https://h/d?api-version=2022-07-31&$filter=a%20eq%20%27b%26c%27&maxpagesize=25\
             &csv=a%2Cb,c&ssv=a%20b&pipes=a%7Cb&multi=1&multi=2"
        );
    }

    #[test]
    fn query_values_are_found_by_name_and_path_text_after_the_query_is_not_built() {
        let p = pipeline("https://h", "");
        let req =
            p.request(Method::GET).path("/a").query("api-version", "1").query("$top", 5).query("api-version", "2");
        let values = (req.query_value("api-version"), req.query_value("$top"), req.query_value("top"));
        assert_eq!(values, (Some("2"), Some("5"), None));
        assert_eq!(req.prepare().unwrap().url.as_str(), "https://h/a?$top=5&api-version=2");
        let only = p.request(Method::GET).path("/a").query("x", 1).query("x", 2).prepare().unwrap();
        assert_eq!(only.url.as_str(), "https://h/a?x=2");
        // A path that already has a query (an unencoded path parameter) is continued with `&`.
        let raw = p.request(Method::GET).path("/a/").path_param_raw("b?c=d").query("e", "f").prepare().unwrap();
        assert_eq!(raw.url.as_str(), "https://h/a/b?c=d&e=f");
        let late = p.request(Method::GET).path("/a").query("x", 1).path("/b").prepare().unwrap_err();
        assert_eq!(late.kind(), ErrorKind::NotBuilt);
        let late = p.request(Method::GET).path("/a/").query("x", 1).path_param("b").prepare().unwrap_err();
        assert_eq!(late.kind(), ErrorKind::NotBuilt);
    }

    #[test]
    fn raw_query_values_are_sent_as_written_and_optional_ones_only_when_set() {
        let p = pipeline("https://h", "");
        let req = p
            .request(Method::GET)
            .path("/q")
            .query_raw("q1", "value1&q2=value2&q3=value3")
            .query_opt("absent", None::<i32>)
            .query_opt("top", Some(10))
            .query_raw_opt("raw", Some("a&b=c"))
            .query_raw_opt("none", None::<&str>)
            .header_opt("x-a", None::<&str>)
            .header_opt("x-b", Some("b"))
            .prepare()
            .unwrap();
        assert_eq!(req.url.as_str(), "https://h/q?q1=value1&q2=value2&q3=value3&top=10&raw=a&b=c");
        assert!(!req.headers.contains_key("x-a"));
        assert_eq!(req.headers["x-b"], "b");
        let err = p.request(Method::GET).query_raw("q", "a#b").prepare().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotBuilt);
    }

    #[test]
    fn a_custom_request_id_header_is_kept_for_the_send_loop() {
        let p = pipeline("https://h", "");
        let req = p.request(Method::GET).client_request_id_header("foo-client-request-id").prepare().unwrap();
        assert_eq!(req.request_id_header.as_ref().map(HeaderName::as_str), Some("foo-client-request-id"));
        let err = p.request(Method::GET).client_request_id_header("bad header").prepare().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotBuilt);
    }

    #[test]
    fn headers_and_bodies() {
        let p = pipeline("https://h", "");
        let req = p
            .request(Method::PUT)
            .header("X-Custom", 5)
            .if_match(IfMatch::Any)
            .json_body("application/merge-patch+json", &serde_json::json!({"a": 1}))
            .prepare()
            .unwrap();
        assert_eq!(req.headers["x-custom"], "5");
        assert_eq!(req.headers["if-match"], "*");
        assert_eq!(req.headers["content-type"], "application/merge-patch+json");
        assert_eq!(req.body.as_ref().and_then(PreparedBody::bytes), Some(&b"{\"a\":1}"[..]));
        let bad = p.request(Method::GET).header("X", "line\nbreak").prepare().unwrap_err();
        assert_eq!(bad.kind(), ErrorKind::NotBuilt);
    }

    #[test]
    fn if_match_without_etag_is_not_built() {
        let p = pipeline("https://h", "");
        let err = p.request(Method::DELETE).if_match(IfMatch::Missing).prepare().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotBuilt);
        assert!(err.to_string().contains("without an ETag"), "{err}");
    }

    #[test]
    fn body_serialisation_errors_are_kept_until_send() {
        struct Bad;
        impl serde::Serialize for Bad {
            fn serialize<S: serde::Serializer>(&self, _: S) -> std::result::Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("nope"))
            }
        }
        let p = pipeline("https://h", "");
        let err = p.request(Method::POST).json_body("application/json", &Bad).prepare().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotBuilt);
        assert!(err.to_string().contains("nope"));
    }
}
