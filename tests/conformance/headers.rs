//! Header parameters and response headers on the AutoRest test server (`header.json`): every
//! primitive type and format sent as a header, and read back from the response's headers (the
//! operations declare no typed result, so the raw header is what is checked). One test per
//! coverage key (a positive/negative or valid/min pair shares one).

#[macro_use]
mod support;

use autorest_header::models::GreyscaleColors;
use autorest_header::runtime::{Base64, Credential, Date, DateTime, Duration};
use autorest_header::Client;

fn client() -> Client {
    Client::with_options(Credential::none(), options!(autorest_header)).expect("client")
}

/// The `value` header of a response, or `None` when it was not sent.
async fn value<O: autorest_header::runtime::Operation>(call: autorest_header::runtime::Call<O>) -> Option<String> {
    let response = call.send().await.expect("200");
    response.headers().get("value").map(|v| v.to_str().expect("text").to_string())
}

/// CJK compatibility ideographs included, written as escapes so that no editor normalises them.
const MULTIBYTE: &str = "\u{554a}\u{9f44}\u{4e02}\u{72db}\u{72dc}\u{f9f1}\u{f92c}\u{f9f1}\u{fa0c}\u{fa29}";

#[tokio::test]
async fn header_parameter_existing_and_protected_keys() {
    let c = client();
    c.header().param_existing_key("overwrite").await.expect("User-Agent: overwrite");
    c.header().param_protected_key("text/html").await.expect("Content-Type: text/html");
}

#[tokio::test]
async fn header_response_existing_and_protected_keys() {
    let c = client();
    let response = c.header().response_existing_key().send().await.expect("200");
    assert_eq!(response.headers()["User-Agent"], "overwrite");
    let response = c.header().response_protected_key().send().await.expect("200");
    let content_type = response.headers()["Content-Type"].to_str().expect("text");
    assert!(content_type.starts_with("text/html"), "{content_type}");
}

#[tokio::test]
async fn header_parameter_numbers() {
    let h = client();
    let h = h.header();
    h.param_integer("positive", 1).await.expect("1");
    h.param_integer("negative", -2).await.expect("-2");
    h.param_long("positive", 105).await.expect("105");
    h.param_long("negative", -2).await.expect("-2");
    h.param_float("positive", 0.07).await.expect("0.07");
    h.param_float("negative", -3.0).await.expect("-3.0");
    h.param_double("positive", 7e120).await.expect("7e120");
    h.param_double("negative", -3.0).await.expect("-3.0");
}

#[tokio::test]
async fn header_response_numbers() {
    let h = client();
    let h = h.header();
    assert_eq!(value(h.response_integer("positive")).await.as_deref(), Some("1"));
    assert_eq!(value(h.response_integer("negative")).await.as_deref(), Some("-2"));
    assert_eq!(value(h.response_long("positive")).await.as_deref(), Some("105"));
    assert_eq!(value(h.response_long("negative")).await.as_deref(), Some("-2"));
    assert_eq!(value(h.response_float("positive")).await.as_deref(), Some("0.07"));
    assert_eq!(value(h.response_float("negative")).await.as_deref(), Some("-3"));
    assert_eq!(value(h.response_double("positive")).await.as_deref(), Some("7e+120"));
    assert_eq!(value(h.response_double("negative")).await.as_deref(), Some("-3"));
}

#[tokio::test]
async fn header_bool() {
    let h = client();
    let h = h.header();
    h.param_bool("true", true).await.expect("true");
    h.param_bool("false", false).await.expect("false");
    assert_eq!(value(h.response_bool("true")).await.as_deref(), Some("true"));
    assert_eq!(value(h.response_bool("false")).await.as_deref(), Some("false"));
}

#[tokio::test]
async fn header_string() {
    let h = client();
    let h = h.header();
    let fox = "The quick brown fox jumps over the lazy dog";
    h.param_string("valid").value(fox).await.expect("the text");
    h.param_string("null").await.expect("no header");
    h.param_string("empty").value("").await.expect("an empty header");
    assert_eq!(value(h.response_string("valid")).await.as_deref(), Some(fox));
    assert_eq!(value(h.response_string("null")).await.as_deref(), Some("null"));
    assert_eq!(value(h.response_string("empty")).await.as_deref(), Some(""));
}

#[tokio::test]
async fn header_enum() {
    let h = client();
    let h = h.header();
    h.param_enum("valid").value(GreyscaleColors::Grey).await.expect("GREY");
    h.param_enum("null").await.expect("no header");
    let grey = value(h.response_enum("valid")).await.expect("a value");
    assert_eq!(grey.parse::<GreyscaleColors>().ok(), Some(GreyscaleColors::Grey));
    assert_eq!(value(h.response_enum("null")).await.as_deref(), Some(""));
}

#[tokio::test]
async fn header_date() {
    let h = client();
    let h = h.header();
    h.param_date("valid", Date::from_ymd(2010, 1, 1).expect("a date")).await.expect("2010-01-01");
    h.param_date("min", Date::from_ymd(1, 1, 1).expect("a date")).await.expect("0001-01-01");
    let valid: Date = value(h.response_date("valid")).await.expect("a value").parse().expect("a date");
    assert_eq!(valid, Date::from_ymd(2010, 1, 1).expect("a date"));
    let min: Date = value(h.response_date("min")).await.expect("a value").parse().expect("a date");
    assert_eq!(min.to_string(), "0001-01-01");
}

#[tokio::test]
async fn header_date_time() {
    let h = client();
    let h = h.header();
    let parse = |text: &str| DateTime::parse(text).expect("a date-time");
    h.param_datetime("valid", parse("2010-01-01T12:34:56Z")).await.expect("valid");
    h.param_datetime("min", parse("0001-01-01T00:00:00Z")).await.expect("min");
    let valid = parse(&value(h.response_datetime("valid")).await.expect("a value"));
    assert_eq!(valid, parse("2010-01-01T12:34:56Z"));
    let min = parse(&value(h.response_datetime("min")).await.expect("a value"));
    assert_eq!(min, parse("0001-01-01T00:00:00Z"));
}

#[tokio::test]
async fn header_response_date_time_rfc1123() {
    let h = client();
    let h = h.header();
    let parse = |text: &str| DateTime::parse(text).expect("a date-time");
    let valid = parse(&value(h.response_datetime_rfc1123("valid")).await.expect("a value"));
    assert_eq!(valid, parse("2010-01-01T12:34:56Z"));
    let min = parse(&value(h.response_datetime_rfc1123("min")).await.expect("a value"));
    assert_eq!(min, parse("0001-01-01T00:00:00Z"));
}

#[tokio::test]
async fn header_duration() {
    let h = client();
    let h = h.header();
    let d: Duration = "P123DT22H14M12.011S".parse().expect("a duration");
    h.param_duration("valid", d).await.expect("sent exactly");
    let got: Duration = value(h.response_duration("valid")).await.expect("a value").parse().expect("a duration");
    assert_eq!(got, d);
}

#[tokio::test]
async fn header_bytes() {
    let h = client();
    let h = h.header();
    h.param_byte("valid", Base64(MULTIBYTE.as_bytes().to_vec())).await.expect("base64 of UTF-8");
    let got: Base64 = value(h.response_byte("valid")).await.expect("a value").parse().expect("base64");
    assert_eq!(got.0, MULTIBYTE.as_bytes());
}

#[tokio::test]
async fn header_parameter_date_time_rfc1123() {
    // `format: date-time-rfc1123`: sent as RFC 1123 in UTC whatever the value's offset.
    let h = client();
    let h = h.header();
    let valid = DateTime::parse("2010-01-01T13:34:56+01:00").expect("a date-time");
    h.param_datetime_rfc1123("valid").value(valid).await.expect("Fri, 01 Jan 2010 12:34:56 GMT");
    let min = DateTime::parse("0001-01-01T00:00:00Z").expect("a date-time");
    h.param_datetime_rfc1123("min").value(min).await.expect("Mon, 01 Jan 0001 00:00:00 GMT");
}
