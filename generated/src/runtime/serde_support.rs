//! Serde helpers generated models use: read-only fields that are never sent, and
//! discriminated unions.
//!
//! Read-only fields carry `#[serde(skip_serializing_if = "crate::runtime::skip_read_only")]`.
//! They are decoded from responses and appear when a model is serialised normally (logging,
//! round-trip tests), but [`RequestBuilder::json_body`](crate::runtime::RequestBuilder::json_body)
//! serialises inside [`with_request_body`], where they are skipped.

use std::cell::Cell;

use std::collections::BTreeMap;

use serde::de::{self, DeserializeOwned};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
pub fn discriminator<'a>(value: &'a serde_json::Value, property: &str) -> Option<&'a str> {
    value.get(property)?.as_str()
}

/// Decodes a buffered union variant, with the deserializer's error type.
#[doc(hidden)]
pub fn from_value<T: serde::de::DeserializeOwned, E: serde::de::Error>(value: serde_json::Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// The members of a JSON object being decoded into a generated struct.
///
/// Generated `Deserialize` impls read the object into a map once, take their fields out of it by
/// wire name, and keep whatever is left (members this version of the API does not describe), so a
/// read-modify-write round trip loses nothing. Written by hand instead of `#[derive]` because the
/// derive's per-struct visitor code dominated the generated crates' build time.
#[doc(hidden)]
pub struct Fields(serde_json::Map<String, serde_json::Value>);

impl Fields {
    /// Reads a JSON object.
    pub fn new<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Map::deserialize(deserializer).map(Fields)
    }

    fn take<T: DeserializeOwned, E: de::Error>(&mut self, key: &'static str) -> Result<Option<T>, E> {
        match self.0.remove(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(value) => T::deserialize(value).map(Some).map_err(|e| E::custom(format_args!("{key}: {e}"))),
        }
    }

    /// A required member; absent or `null` is an error.
    pub fn required<T: DeserializeOwned, E: de::Error>(&mut self, key: &'static str) -> Result<T, E> {
        self.take(key)?.ok_or_else(|| E::missing_field(key))
    }

    /// A required collection; absent or `null` reads as empty (services omit empty arrays).
    pub fn collection<T: DeserializeOwned + Default, E: de::Error>(&mut self, key: &'static str) -> Result<T, E> {
        Ok(self.take(key)?.unwrap_or_default())
    }

    /// An optional member; absent or `null` is `None`.
    pub fn optional<T: DeserializeOwned, E: de::Error>(&mut self, key: &'static str) -> Result<Option<T>, E> {
        self.take(key)
    }

    /// Drops a member the type writes itself (a union subtype's discriminator).
    pub fn discard(&mut self, key: &str) {
        self.0.remove(key);
    }

    /// Every member not taken yet.
    pub fn rest<T: DeserializeOwned, E: de::Error>(self) -> Result<BTreeMap<String, T>, E> {
        self.0
            .into_iter()
            .map(|(k, v)| match T::deserialize(v) {
                Ok(v) => Ok((k, v)),
                Err(e) => Err(E::custom(format_args!("{k}: {e}"))),
            })
            .collect()
    }
}

/// Writes a generated struct as a JSON object (the counterpart of [`Fields`]).
#[doc(hidden)]
pub struct MapWriter<M>(M);

impl<M: SerializeMap> MapWriter<M> {
    /// Starts an object.
    pub fn new<S: Serializer<SerializeMap = M, Error = M::Error>>(serializer: S) -> Result<Self, M::Error> {
        serializer.serialize_map(None).map(MapWriter)
    }

    /// A member that is always written.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }

    /// An optional member: written when `Some`.
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) -> Result<(), M::Error> {
        match value {
            Some(v) => self.0.serialize_entry(key, v),
            None => Ok(()),
        }
    }

    /// A read-only member: written when `Some`, except in a request body.
    pub fn read_only<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) -> Result<(), M::Error> {
        if skip_read_only(value) {
            return Ok(());
        }
        self.optional(key, value)
    }

    /// Members kept from decoding (or added by the caller) that the document does not describe.
    pub fn rest<T: Serialize>(&mut self, members: &BTreeMap<String, T>) -> Result<(), M::Error> {
        members.iter().try_for_each(|(k, v)| self.0.serialize_entry(k, v))
    }

    /// Finishes the object.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
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

    /// Written the way the generator writes a union subtype with a read-only field.
    #[derive(Debug, PartialEq)]
    struct Email {
        id: Option<String>,
        email: String,
        roles: Vec<String>,
        rest: BTreeMap<String, serde_json::Value>,
    }

    impl Serialize for Email {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = MapWriter::new(serializer)?;
            map.field("type", "email")?;
            map.read_only("id", &self.id)?;
            map.field("email", &self.email)?;
            map.field("roles", &self.roles)?;
            map.rest(&self.rest)?;
            map.end()
        }
    }

    impl<'de> Deserialize<'de> for Email {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = Fields::new(deserializer)?;
            fields.discard("type");
            Ok(Email {
                id: fields.optional("id")?,
                email: fields.required("email")?,
                roles: fields.collection("roles")?,
                rest: fields.rest()?,
            })
        }
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
    fn generated_style_impls_round_trip_keep_unknown_members_and_write_the_tag() {
        let wire = json!({"type": "email", "id": "u1", "email": "a@b.c", "extra": {"x": 1}, "nothing": null});
        let user: Email = serde_json::from_value(wire).unwrap();
        assert_eq!(user.roles, Vec::<String>::new(), "a missing collection reads as empty");
        assert_eq!(user.rest.get("extra"), Some(&json!({"x": 1})));
        let back = serde_json::to_value(&user).unwrap();
        assert_eq!(back, json!({"type": "email", "id": "u1", "email": "a@b.c", "roles": [], "extra": {"x": 1}, "nothing": null}));
        let sent = with_request_body(|| serde_json::to_value(&user).unwrap());
        assert!(sent.get("id").is_none(), "read-only members are not sent: {sent}");
        assert_eq!(sent["type"], "email");
    }

    #[test]
    fn missing_required_members_and_bad_types_name_the_member() {
        let err = serde_json::from_value::<Email>(json!({"type": "email"})).unwrap_err();
        assert!(err.to_string().contains("missing field `email`"), "{err}");
        let err = serde_json::from_value::<Email>(json!({"email": 5})).unwrap_err();
        assert!(err.to_string().starts_with("email: invalid type"), "{err}");
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
}
