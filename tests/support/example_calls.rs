//! What the generated example callers (`dispatch::<api>::call`, emitted by `emit::example_calls`)
//! call into: reading one parameter of an example's `parameters` object as an argument type, and the
//! [`Visit`] trait through which a caller hands over each call it makes.

use std::future::Future;

use iot_rest::runtime::{Call, ETag, IfMatch, Operation};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Receives every call an example caller makes.
pub trait Visit {
    /// Does something with the call of `operation_id` (send it, typically).
    fn visit<O: Operation>(&mut self, operation_id: &'static str, call: Call<O>) -> impl Future<Output = ()>;
}

/// A parameter as text: a JSON string as it is, any other JSON value as JSON text.
pub fn text(params: &Map<String, Value>, wire: &str) -> Result<Option<String>, String> {
    Ok(params.get(wire).filter(|v| !v.is_null()).map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }))
}

/// A list parameter as texts: a JSON array, or one comma-separated string.
pub fn texts(params: &Map<String, Value>, wire: &str) -> Result<Option<Vec<String>>, String> {
    match params.get(wire) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => Ok(Some(
            items
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
        )),
        Some(Value::String(s)) => Ok(Some(s.split(',').map(str::to_string).collect())),
        Some(other) => Err(format!("parameter {wire}: expected a list, found {other}")),
    }
}

/// A parameter decoded as `T`. A string that does not decode as `T` is tried as JSON text too, since
/// examples write numbers and booleans of query parameters either way (`"25"`, `25`).
pub fn decoded<T: DeserializeOwned>(params: &Map<String, Value>, wire: &str) -> Result<Option<T>, String> {
    let Some(value) = params.get(wire).filter(|v| !v.is_null()) else { return Ok(None) };
    match serde_json::from_value(value.clone()) {
        Ok(v) => Ok(Some(v)),
        Err(e) => match value.as_str().map(serde_json::from_str) {
            Some(Ok(v)) => Ok(Some(v)),
            _ => Err(format!("parameter {wire}: {e} (value {value})")),
        },
    }
}

/// An `If-Match` / `If-None-Match` parameter: `*` or an ETag.
pub fn if_match(params: &Map<String, Value>, wire: &str) -> Result<Option<IfMatch>, String> {
    Ok(text(params, wire)?.map(|v| if v == "*" { IfMatch::Any } else { IfMatch::from(ETag::new(v)) }))
}

/// The value of a required parameter.
pub fn required<T>(value: Option<T>, wire: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("the example has no value for the required parameter {wire}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params() -> Map<String, Value> {
        json!({"id": "d1", "n": 25, "s": "25", "flag": "true", "list": ["a", "b"], "csv": "a,b", "etag": "\"1\"", "any": "*"})
            .as_object()
            .unwrap()
            .clone()
    }

    #[test]
    fn parameters_decode_as_their_argument_types() {
        let p = params();
        assert_eq!(text(&p, "id").unwrap().as_deref(), Some("d1"));
        assert_eq!(text(&p, "n").unwrap().as_deref(), Some("25"));
        assert_eq!(decoded::<i32>(&p, "n").unwrap(), Some(25));
        assert_eq!(decoded::<i32>(&p, "s").unwrap(), Some(25));
        assert_eq!(decoded::<bool>(&p, "flag").unwrap(), Some(true));
        assert_eq!(texts(&p, "list").unwrap(), Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(texts(&p, "csv").unwrap(), texts(&p, "list").unwrap());
        assert_eq!(if_match(&p, "etag").unwrap(), Some(IfMatch::Etag(ETag::new("\"1\""))));
        assert_eq!(if_match(&p, "any").unwrap(), Some(IfMatch::Any));
        assert_eq!(decoded::<i32>(&p, "missing").unwrap(), None);
        assert!(decoded::<i32>(&p, "id").unwrap_err().contains("parameter id"));
        assert!(required::<i32>(None, "deviceId").unwrap_err().contains("deviceId"));
    }
}
