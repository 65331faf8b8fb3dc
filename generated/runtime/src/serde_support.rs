//! What generated `Serialize` / `Deserialize` impls call. Generated models do not derive them:
//! - structs deserialise through [`Fields`] (members taken by wire name, unknown members kept) and
//!   serialise through [`MapWriter`];
//! - read-only members are written with [`MapWriter::read_only`], so they appear when a model is
//!   serialised normally (logging, round-trip tests) but not in request bodies:
//!   [`RequestBuilder::json_body`](crate::RequestBuilder::json_body) serialises inside
//!   [`with_request_body`], where [`in_request_body`] is true;
//! - discriminated unions read their tag with [`discriminator`] and decode the buffered variant
//!   with [`from_value`].
//!
//! [`skip_read_only`] offers the same rule to hand-written models, as
//! `#[serde(skip_serializing_if = "…::skip_read_only")]`.

use std::cell::Cell;
use std::collections::BTreeMap;

use serde::de::{self, DeserializeOwned};
use serde::ser::SerializeMap;
use serde::{Deserializer, Serialize, Serializer};

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

/// The members of a JSON object being decoded into a generated struct.
///
/// Generated `Deserialize` impls read the object into a map once, take their fields out of it by
/// wire name, and keep whatever is left (members this version of the API does not describe), so a
/// read-modify-write round trip loses nothing. Written by hand instead of `#[derive]` because the
/// derive's per-struct visitor code dominated the generated crates' build time.
///
/// Each getter returns `None` after recording the first problem, and the generated code matches
/// all results at once (`match (a, b, c) { (Some(a), Some(b), Some(c)) => …, _ => Err(fields.error()) }`):
/// one branch per struct instead of an early return per field keeps the compiled code small.
#[doc(hidden)]
pub struct Fields {
    /// In document order; a repeated name counts by its last value, as in `serde_json::Map`.
    /// A list rather than a map: objects are small, and building a tree cost more than the searches.
    members: Vec<(Key, serde_json::Value)>,
    problem: Option<FieldProblem>,
}

enum FieldProblem {
    Missing(&'static str),
    Invalid(String),
}

impl Fields {
    /// Reads a JSON object.
    pub fn new<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(Members).map(|members| Fields { members, problem: None })
    }

    /// Takes member `key` out: its last value, with any earlier ones dropped.
    fn remove(&mut self, key: &str) -> Option<serde_json::Value> {
        let last = self.members.iter().rposition(|(k, _)| k.is(key))?;
        let (_, value) = self.members.remove(last);
        if self.members.iter().any(|(k, _)| k.is(key)) {
            self.members.retain(|(k, _)| !k.is(key));
        }
        Some(value)
    }

    #[inline]
    fn note(&mut self, problem: FieldProblem) {
        self.problem.get_or_insert(problem);
    }

    /// `Some(None)` when absent or `null`, `None` when invalid (recorded).
    fn take<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<Option<T>> {
        match self.remove(key) {
            None | Some(serde_json::Value::Null) => Some(None),
            Some(value) => match T::deserialize(value) {
                Ok(v) => Some(Some(v)),
                Err(e) => {
                    self.note(FieldProblem::Invalid(format!("{key}: {e}")));
                    None
                }
            },
        }
    }

    /// A required member; absent or `null` is a problem.
    pub fn required<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        match self.take(key) {
            Some(Some(v)) => Some(v),
            Some(None) => {
                self.note(FieldProblem::Missing(key));
                None
            }
            None => None,
        }
    }

    /// A required collection; absent or `null` reads as empty (services omit empty arrays).
    pub fn collection<T: DeserializeOwned + Default>(&mut self, key: &'static str) -> Option<T> {
        self.take(key).map(Option::unwrap_or_default)
    }

    /// An optional member; absent or `null` is `Some(None)`.
    pub fn optional<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<Option<T>> {
        self.take(key)
    }

    /// Drops a member the type writes itself (a union subtype's discriminator).
    // Inline: only generated (generic) impls call it, so it is compiled where they are used.
    #[inline]
    pub fn discard(&mut self, key: &str) {
        self.remove(key);
    }

    /// Every member not taken yet.
    pub fn rest<T: DeserializeOwned>(&mut self) -> Option<BTreeMap<String, T>> {
        let mut out = BTreeMap::new();
        for (k, v) in std::mem::take(&mut self.members) {
            match T::deserialize(v) {
                Ok(v) => {
                    out.insert(k.into_string(), v);
                }
                Err(e) => {
                    self.note(FieldProblem::Invalid(format!("{}: {e}", k.as_str())));
                    return None;
                }
            }
        }
        Some(out)
    }

    /// The first problem recorded, as the deserializer's error.
    pub fn error<E: de::Error>(self) -> E {
        match self.problem {
            Some(FieldProblem::Missing(key)) => E::missing_field(key),
            Some(FieldProblem::Invalid(message)) => E::custom(message),
            None => E::custom("invalid object"),
        }
    }
}

/// A member name: inline when short, as nearly all are, so reading a member allocates nothing for
/// its name.
enum Key {
    Inline { len: u8, bytes: [u8; 22] },
    Heap(String),
}

impl Key {
    fn new(name: &str) -> Key {
        let mut bytes = [0; 22];
        match bytes.get_mut(..name.len()) {
            Some(inline) => {
                inline.copy_from_slice(name.as_bytes());
                Key::Inline { len: name.len() as u8, bytes }
            }
            None => Key::Heap(name.to_string()),
        }
    }

    /// Whether this is `name` (bytes compared: no UTF-8 check per comparison).
    fn is(&self, name: &str) -> bool {
        match self {
            Key::Inline { len, bytes } => &bytes[..usize::from(*len)] == name.as_bytes(),
            Key::Heap(own) => own == name,
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Copied from a `&str` whole, so it is UTF-8.
            Key::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
            Key::Heap(name) => name,
        }
    }

    fn into_string(self) -> String {
        match self {
            Key::Heap(name) => name,
            inline => inline.as_str().to_string(),
        }
    }
}

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl de::Visitor<'_> for Name {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
                Ok(Key::new(name))
            }
            fn visit_string<E: de::Error>(self, name: String) -> Result<Key, E> {
                Ok(if name.len() <= 22 { Key::new(&name) } else { Key::Heap(name) })
            }
        }
        deserializer.deserialize_str(Name)
    }
}

/// Reads a JSON object's members as a list.
struct Members;

impl<'de> de::Visitor<'de> for Members {
    type Value = Vec<(Key, serde_json::Value)>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Never trust a size hint for more than a small allocation.
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(32));
        while let Some(member) = map.next_entry()? {
            members.push(member);
        }
        Ok(members)
    }
}

/// Writes a generated struct as a JSON object (the counterpart of [`Fields`]).
///
/// Like [`Fields`], it records the first error instead of returning it from every call; `end`
/// reports it.
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

    /// A member that is always written.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
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
            map.field("type", "email");
            map.read_only("id", &self.id);
            map.field("email", &self.email);
            map.field("roles", &self.roles);
            map.rest(&self.rest);
            map.end()
        }
    }

    impl<'de> Deserialize<'de> for Email {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = Fields::new(deserializer)?;
            fields.discard("type");
            match (fields.optional("id"), fields.required("email"), fields.collection("roles"), fields.rest()) {
                (Some(id), Some(email), Some(roles), Some(rest)) => Ok(Email { id, email, roles, rest }),
                _ => Err(fields.error()),
            }
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
        assert_eq!(
            back,
            json!({"type": "email", "id": "u1", "email": "a@b.c", "roles": [], "extra": {"x": 1}, "nothing": null})
        );
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
    fn a_repeated_member_counts_by_its_last_value_and_is_kept_once() {
        let long = r"a member name longer than 22 bytes, escaped: \u00e9";
        let wire = format!(
            r#"{{"email": "old", "x": 1, "email": "new", "x": 2, "roles": ["r"], "roles": null, "{long}": 3}}"#
        );
        let user: Email = serde_json::from_str(&wire).unwrap();
        assert_eq!((user.email.as_str(), user.roles.len()), ("new", 0));
        let long = "a member name longer than 22 bytes, escaped: é".to_string();
        assert_eq!(user.rest, BTreeMap::from([("x".to_string(), json!(2)), (long, json!(3))]));
        let not_an_object = serde_json::from_str::<Email>("[1]").unwrap_err();
        assert!(not_an_object.to_string().contains("expected a map"), "{not_an_object}");
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
