//! What generated `Serialize` / `Deserialize` impls call. Generated models do not derive them:
//! - structs ([`model!`](crate::model!)) serialise through [`MapWriter`] (and deserialise through
//!   [`model`](mod@crate::model));
//! - read-only members are written with [`MapWriter::read_only`], so they appear when a model is
//!   serialised normally (logging, round-trip tests) but not in request bodies:
//!   [`RequestBuilder::json_body`](crate::RequestBuilder::json_body) serialises inside
//!   [`with_request_body`], where [`in_request_body`] is true;
//! - discriminated unions read their tag with [`discriminator`] and decode the buffered variant
//!   with [`from_value`] (an unlisted tag of a closed union is [`unknown_kind`]); a `oneOf` union
//!   writes its variant's tag with [`serialize_tagged`];
//! - untagged unions buffer the value once and try each variant on it with [`try_variant`], so
//!   nested unions never re-read their input ([`no_variant`] when none accepts it).
//!
//! [`skip_read_only`] offers the same rule to hand-written models, as
//! `#[serde(skip_serializing_if = "…::skip_read_only")]`.

use std::cell::Cell;
use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

thread_local! {
    static REQUEST_BODY_DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Whether the current thread is serialising a request body.
#[doc(hidden)]
pub fn in_request_body() -> bool {
    REQUEST_BODY_DEPTH.with(|d| d.get() > 0)
}

/// `skip_serializing_if` for read-only fields: skip when absent or when sending.
#[doc(hidden)]
pub fn skip_read_only<T>(value: &Option<T>) -> bool {
    value.is_none() || in_request_body()
}

/// Runs `f` (a serialisation) with the request-body flag set on this thread.
pub(crate) fn with_request_body<R>(f: impl FnOnce() -> R) -> R {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            REQUEST_BODY_DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
        }
    }
    REQUEST_BODY_DEPTH.with(|d| d.set(d.get().saturating_add(1)));
    let _reset = Reset;
    f()
}

/// The discriminator value of a union's JSON, e.g. `discriminator(&v, "type")`.
#[doc(hidden)]
#[inline] // only generated (generic) impls call it
pub fn discriminator<'a>(value: &'a serde_json::Value, property: &str) -> Option<&'a str> {
    value.get(property)?.as_str()
}

/// Decodes a buffered union variant, with the deserializer's error type.
#[doc(hidden)]
pub fn from_value<T: serde::de::DeserializeOwned, E: serde::de::Error>(value: serde_json::Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// The error for a closed union's value whose tag is missing or not one of `known`.
#[doc(hidden)]
pub fn unknown_kind<E: serde::de::Error>(value: &serde_json::Value, property: &'static str, known: &'static [&'static str]) -> E {
    match value.get(property) {
        Some(serde_json::Value::String(tag)) => E::unknown_variant(tag, known),
        Some(_) => E::custom(format_args!("`{property}` is not a string")),
        None => E::missing_field(property),
    }
}

/// Decodes one variant of an untagged union from the buffered value; `None` when it does not fit.
#[doc(hidden)]
pub fn try_variant<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// The error for a value no variant of the untagged union `union` accepts.
#[doc(hidden)]
pub fn no_variant<E: serde::de::Error>(union: &str) -> E {
    E::custom(format_args!("the value matches no variant of {union}"))
}

/// Writes `value` (an object) with `property` set to `tag`: a `oneOf` member does not write the
/// tag that chose it, or may hold another.
#[doc(hidden)]
pub fn serialize_tagged<T: Serialize + ?Sized, S: Serializer>(
    value: &T,
    property: &'static str,
    tag: &'static str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let serde_json::Value::Object(members) = &mut json {
        members.insert(property.to_owned(), serde_json::Value::from(tag));
    }
    json.serialize(serializer)
}

/// Writes a generated struct as a JSON object, one method per field kind of [`model!`](crate::model!).
///
/// It records the first error instead of returning it from every call; `end` reports it.
#[doc(hidden)]
pub struct MapWriter<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> MapWriter<M> {
    /// Starts an object.
    pub fn new<S: Serializer<SerializeMap = M, Error = M::Error>>(serializer: S) -> Result<Self, M::Error> {
        serializer.serialize_map(None).map(|map| MapWriter { map, error: None })
    }

    fn entry<K: Serialize + ?Sized, T: Serialize + ?Sized>(&mut self, key: &K, value: &T) {
        if self.error.is_none() {
            if let Err(e) = self.map.serialize_entry(key, value) {
                self.error = Some(e);
            }
        }
    }

    /// A member that is always written (a union subtype's discriminator).
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.entry(key, value);
    }

    /// A required member.
    pub fn required<T: Serialize>(&mut self, key: &'static str, value: &T) {
        self.entry(key, value);
    }

    /// A required array or map, written also when empty.
    pub fn collection<T: Serialize>(&mut self, key: &'static str, value: &T) {
        self.entry(key, value);
    }

    /// A required, nullable member: `None` is written as `null`.
    pub fn send_null<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        self.entry(key, value);
    }

    /// An optional member: written when `Some`.
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(v) = value {
            self.entry(key, v);
        }
    }

    /// A read-only member: written when `Some`, except in a request body.
    pub fn read_only<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if !skip_read_only(value) {
            self.optional(key, value);
        }
    }

    /// Members kept from decoding (or added by the caller) that the document does not describe.
    pub fn rest<T: Serialize>(&mut self, members: &BTreeMap<String, T>) {
        for (k, v) in members {
            self.entry(k, v);
        }
    }

    /// Finishes the object, or reports the first error.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Device {
        name: Option<String>,
        #[serde(skip_serializing_if = "skip_read_only")]
        etag: Option<String>,
    }

    #[test]
    fn read_only_fields_are_skipped_only_in_request_bodies() {
        let device = Device { name: Some("d".into()), etag: Some("e".into()) };
        assert_eq!(serde_json::to_value(&device).unwrap(), json!({"name": "d", "etag": "e"}));
        let sent = with_request_body(|| serde_json::to_value(&device).unwrap());
        assert_eq!(sent, json!({"name": "d"}));
        assert!(!in_request_body(), "the flag is reset afterwards");
    }

    #[test]
    fn discriminator_and_from_value() {
        let v = json!({"type": "device", "name": "d"});
        assert_eq!(discriminator(&v, "type"), Some("device"));
        assert_eq!(discriminator(&v, "kind"), None);
        assert_eq!(discriminator(&json!({"type": 1}), "type"), None);
        let d: Device = from_value::<_, serde_json::Error>(v).unwrap();
        assert_eq!(d.name.as_deref(), Some("d"));
        assert!(from_value::<Device, serde_json::Error>(json!(3)).is_err());
    }

    #[test]
    fn union_helpers() {
        let device = Device { name: Some("d".into()), etag: None };
        let tagged = serialize_tagged(&device, "kind", "phone", serde_json::value::Serializer).unwrap();
        assert_eq!(tagged, json!({"name": "d", "kind": "phone"}));
        assert_eq!(try_variant::<Device>(&json!({"name": "d"})), Some(Device { name: Some("d".into()), etag: None }));
        assert_eq!(try_variant::<Device>(&json!("d")), None);
        let unknown: serde_json::Error = unknown_kind(&json!({"kind": "x"}), "kind", &["a"]);
        assert!(unknown.to_string().contains("unknown variant `x`"), "{unknown}");
        let missing: serde_json::Error = unknown_kind(&json!({}), "kind", &["a"]);
        assert!(missing.to_string().contains("missing field `kind`"), "{missing}");
        assert!(no_variant::<serde_json::Error>("Shape").to_string().contains("Shape"));
    }
}
