//! [`model!`](crate::model!): how a generated crate declares a struct model, one line per field, and
//! what the declaration expands to call.
//!
//! A generated `models.rs` holds one `model!` per struct, written with a fixed layout, so that a
//! property the document adds or removes is a line added or removed there and nothing else. The
//! expansion is the struct (`#[non_exhaustive]`, so new fields are not a breaking change), a `new`
//! constructor taking the required fields, a `with_<field>` setter per field the caller may set,
//! and `Serialize`/`Deserialize` impls:
//!
//! - decoding reads the object's members once ([`Fields`]), takes each field out by wire name and
//!   keeps the members the model does not describe in its map of other members (or drops them when
//!   it has none); errors name the member (`displayName: invalid type: …`);
//! - encoding writes the fields through [`MapWriter`](crate::MapWriter), read-only fields only
//!   outside request bodies.
//!
//! Field kinds (the word after `=`) say how a field is read and written: `required` (absent or
//! `null` is an error), `collection` (a required array or map; absent or `null` reads as empty),
//! `optional`, `read_only` (optional, never sent in a request body) and `send_null` (optional, and
//! `None` is sent as `null`). Each kind is a module here with the same function (`take`), so the
//! macro needs no rule per kind; a setter stores its value through `From` (`T` into `T` or
//! `Option<T>`), which costs the compiler less than a generic call per field.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// Declares a struct model: the struct, `new`, setters, `Serialize` and `Deserialize`.
///
/// ```
/// iot_rest_runtime::model! {
///     /// A dog.
///     #[derive(Default)]
///     pub struct Dog {
///         /// What the dog answers to.
///         pub name: ::std::string::String = required "name" => with_name(::std::string::String),
///         /// Set by the service, never sent.
///         pub born: ::std::option::Option<::std::string::String> = read_only "born",
///         pub tricks: ::std::option::Option<::std::vec::Vec<::std::string::String>> = optional "tricks" => with_tricks(::std::vec::Vec<::std::string::String>),
///         ..
///         /// Members this version of the API does not describe.
///         pub additional_properties: ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,
///     }
///     tag "kind" = "dog";
///     new(name: ::std::string::String);
/// }
///
/// let dog = Dog::new("Rex").with_tricks(["sit".to_string()]);
/// assert_eq!(serde_json::to_string(&dog).unwrap(), r#"{"kind":"dog","name":"Rex","tricks":["sit"]}"#);
/// let back: Dog = serde_json::from_str(r#"{"kind":"dog","name":"Rex","tricks":["sit"],"age":3}"#).unwrap();
/// assert_eq!(back.additional_properties["age"], 3);
/// ```
///
/// Each field is `pub <name>: <type> = <kind> "<wire name>"`, then ` => <setter>(<value type>)` for
/// a field the caller may set (not a read-only one); `<type>` is `Option<value type>` for the
/// optional kinds. After `..` comes the map that keeps other members, if the model keeps them.
/// `tag` names the discriminator a union subtype writes (and skips when reading); `new` lists the
/// required fields, which the constructor takes (every other field starts empty). Types are
/// written with full paths: they are resolved where the macro is invoked.
#[macro_export]
macro_rules! model {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_attr:meta])*
                pub $field:ident: $ty:ty = $kind:ident $wire:literal $(=> $setter:ident($value_ty:ty))?,
            )*
            $(
                ..
                $(#[$rest_attr:meta])*
                pub $rest:ident: $rest_ty:ty,
            )?
        }
        $(tag $tag:literal = $tag_value:literal;)?
        $(new($($arg:ident: $arg_ty:ty),+);)?
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $($(#[$field_attr])* pub $field: $ty,)*
            $($(#[$rest_attr])* pub $rest: $rest_ty,)?
        }

        impl $name {
            $crate::__model_new! { ($($($arg: $arg_ty),+)?) $($kind $field)* $(rest $rest)? }
            $($(
                #[doc = ::core::concat!("Sets `", ::core::stringify!($field), "`.")]
                #[allow(clippy::useless_conversion)] // `T` into `T` for a required field
                pub fn $setter(mut self, value: impl ::core::convert::Into<$value_ty>) -> Self {
                    let value: $value_ty = value.into();
                    self.$field = ::core::convert::From::from(value);
                    self
                }
            )?)*
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                #[allow(unused_mut)] // a model without members writes none
                let mut map = $crate::MapWriter::new(serializer)?;
                $(map.field($tag, $tag_value);)?
                $(map.$kind($wire, &self.$field);)*
                $(map.rest(&self.$rest);)?
                map.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            // `__D`: generic parameters are not hygienic, and field types name models.
            #[allow(unreachable_patterns)] // for a model without fields
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::core::result::Result<Self, __D::Error> {
                #[allow(unused_mut)] // for a model without fields
                let mut fields = $crate::model::Fields::new(deserializer)?;
                $(fields.discard($tag);)?
                // One match over every field's result, not an early return per field: see `Fields`.
                match ($($crate::model::$kind::take(&mut fields, $wire),)* $(fields.rest::<<$rest_ty as $crate::model::Rest>::Value>(),)?) {
                    ($(::core::option::Option::Some($field),)* $(::core::option::Option::Some($rest),)?) => {
                        ::core::result::Result::Ok(Self { $($field,)* $($rest,)? })
                    }
                    _ => ::core::result::Result::Err(fields.error()),
                }
            }
        }
    };
}

/// `new` of a [`model!`](crate::model!): nothing when the model has no required fields, else a
/// constructor taking them, with every other field empty.
#[doc(hidden)]
#[macro_export]
macro_rules! __model_new {
    (() $($kind:ident $field:ident)*) => {};
    (($($arg:ident: $arg_ty:ty),+) $($kind:ident $field:ident)*) => {
        /// A value with the required fields given and every other field empty.
        pub fn new($($arg: impl ::core::convert::Into<$arg_ty>),+) -> Self {
            $(let $arg: $arg_ty = ::core::convert::Into::into($arg);)+
            Self { $($field: $crate::__model_init!($kind $field),)* }
        }
    };
}

/// A field's value in `new`: the argument of a required field, else empty.
#[doc(hidden)]
#[macro_export]
macro_rules! __model_init {
    (required $field:ident) => {
        $field
    };
    (collection $field:ident) => {
        $field
    };
    ($kind:ident $field:ident) => {
        ::core::default::Default::default()
    };
}

/// The members of a JSON object being decoded into a [`model!`](crate::model!) struct.
///
/// A model's `Deserialize` reads the object into a list once, takes its fields out of it by wire
/// name, and keeps whatever is left (members this version of the API does not describe), so a
/// read-modify-write round trip loses nothing. The code each model expands to is one getter call
/// per field, generic only over the field's type (shared by every model), and one `match` over all
/// results (`match (a, b, c) { (Some(a), Some(b), Some(c)) => …, _ => Err(fields.error()) }`): a
/// visitor per model (what `#[derive]` writes) costs several times the compile time.
///
/// Each getter returns `None` after recording the first problem.
pub struct Fields {
    /// In document order; `None` once taken. A repeated name counts by its last value, as in
    /// `serde_json::Map`. A list rather than a map: objects are small, and building a tree cost
    /// more than the searches.
    members: Vec<(Key, Option<serde_json::Value>)>,
    /// Where the next search starts: fields are usually taken in the order the document has them.
    next: usize,
    /// Whether two members may have the same name (then every search looks for the last one).
    may_repeat: bool,
    problem: Option<Problem>,
}

enum Problem {
    Missing(&'static str),
    Invalid(String),
}

impl Fields {
    /// Reads a JSON object.
    pub fn new<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (members, may_repeat) = deserializer.deserialize_map(Members)?;
        Ok(Fields { members, next: 0, may_repeat, problem: None })
    }

    /// Takes member `key` out: its last value (earlier ones are dropped by [`rest`](Fields::rest)).
    fn remove(&mut self, key: &str) -> Option<serde_json::Value> {
        let at = if self.may_repeat {
            self.members.iter().rposition(|(k, _)| k.is(key))?
        } else {
            // Names are unique: the first match from where the last field was found is the one.
            let (before, after) = self.members.split_at(self.next.min(self.members.len()));
            let found = after.iter().position(|(k, _)| k.is(key)).map(|i| i + before.len());
            found.or_else(|| before.iter().position(|(k, _)| k.is(key)))?
        };
        self.next = at + 1;
        self.members[at].1.take()
    }

    fn note(&mut self, problem: Problem) {
        self.problem.get_or_insert(problem);
    }

    /// `Some(None)` when absent or `null`, `None` when invalid (recorded, naming the member).
    fn take<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<Option<T>> {
        match self.remove(key) {
            None | Some(serde_json::Value::Null) => Some(None),
            Some(value) => match T::deserialize(value) {
                Ok(v) => Some(Some(v)),
                Err(e) => {
                    self.note(Problem::Invalid(format!("{key}: {e}")));
                    None
                }
            },
        }
    }

    /// Drops a member the model writes itself (a union subtype's discriminator).
    pub fn discard(&mut self, key: &str) {
        self.remove(key);
    }

    /// Every member not taken yet (the map of other members), except earlier values of a name
    /// that was taken.
    pub fn rest<T: DeserializeOwned>(&mut self) -> Option<BTreeMap<String, T>> {
        let mut members = std::mem::take(&mut self.members);
        if self.may_repeat {
            let taken: Vec<String> =
                members.iter().filter(|(_, v)| v.is_none()).map(|(k, _)| k.as_str().to_string()).collect();
            for (k, v) in &mut members {
                if taken.iter().any(|name| k.is(name)) {
                    *v = None;
                }
            }
        }
        let mut out = BTreeMap::new();
        for (k, v) in members {
            let Some(v) = v else { continue };
            match T::deserialize(v) {
                Ok(v) => {
                    out.insert(k.into_string(), v);
                }
                Err(e) => {
                    self.note(Problem::Invalid(format!("{}: {e}", k.as_str())));
                    return None;
                }
            }
        }
        Some(out)
    }

    /// The first problem recorded, as the deserializer's error.
    pub fn error<E: de::Error>(self) -> E {
        match self.problem {
            Some(Problem::Missing(key)) => E::missing_field(key),
            Some(Problem::Invalid(message)) => E::custom(message),
            None => E::custom("invalid object"),
        }
    }
}

/// The map that keeps a model's other members: its value type.
pub trait Rest {
    type Value;
}

impl<T> Rest for BTreeMap<String, T> {
    type Value = T;
}

/// A required field: absent or `null` is an error.
pub mod required {
    use super::*;

    /// The field's value, `None` (recorded) when absent, `null` or invalid.
    pub fn take<T: DeserializeOwned>(fields: &mut Fields, key: &'static str) -> Option<T> {
        match fields.take(key) {
            Some(Some(v)) => Some(v),
            Some(None) => {
                fields.note(Problem::Missing(key));
                None
            }
            None => None,
        }
    }
}

/// A required array or map: absent or `null` reads as empty (services omit empty arrays).
pub mod collection {
    use super::*;

    /// The field's value, empty when absent or `null`; `None` (recorded) when invalid.
    pub fn take<T: DeserializeOwned + Default>(fields: &mut Fields, key: &'static str) -> Option<T> {
        fields.take(key).map(Option::unwrap_or_default)
    }
}

/// An optional field (`Option<T>`): absent or `null` is `None`.
pub mod optional {
    use super::*;

    /// The field's value (`Some(None)` when absent or `null`); `None` (recorded) when invalid.
    pub fn take<T: DeserializeOwned>(fields: &mut Fields, key: &'static str) -> Option<Option<T>> {
        fields.take(key)
    }
}

/// An optional field set by the service: read as [`optional`], never written in a request body.
pub mod read_only {
    pub use super::optional::take;
}

/// A required but nullable field: read as [`optional`], and `None` is written as `null`.
pub mod send_null {
    pub use super::optional::take;
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

    /// A summary of the name (length, first, middle and last byte): equal for equal names, and
    /// seldom for different ones (which are then compared whole).
    fn summary(&self) -> u32 {
        let b = self.bytes();
        let at = |i: usize| u32::from(b.get(i).copied().unwrap_or(0));
        (b.len() as u32) << 24 | at(0) << 16 | at(b.len() / 2) << 8 | at(b.len().wrapping_sub(1))
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Key::Heap(name) => name.as_bytes(),
        }
    }

    /// Whether this is `name` (bytes compared: no UTF-8 check per comparison).
    fn is(&self, name: &str) -> bool {
        self.bytes() == name.as_bytes()
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

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

/// Reads a JSON object's members as a list, and whether two of them may have the same name.
struct Members;

impl<'de> Visitor<'de> for Members {
    type Value = (Vec<(Key, Option<serde_json::Value>)>, bool);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Never trust a size hint for more than a small allocation; without one, room for a
        // typical object.
        let mut members: Vec<(Key, Option<serde_json::Value>)> =
            Vec::with_capacity(map.size_hint().unwrap_or(16).min(32));
        // Whether a name repeats, found by the summaries of the first members (past them, assumed).
        let mut summaries = [0u32; 32];
        let mut may_repeat = false;
        while let Some((key, value)) = map.next_entry::<Key, serde_json::Value>()? {
            let n = members.len();
            if n < summaries.len() && !may_repeat {
                let summary = key.summary();
                may_repeat =
                    members.iter().zip(&summaries).any(|((k, _), &s)| s == summary && k.bytes() == key.bytes());
                summaries[n] = summary;
            } else {
                may_repeat = true;
            }
            members.push((key, Some(value)));
        }
        Ok((members, may_repeat))
    }
}

#[cfg(test)]
mod tests {
    use crate::serde_support::with_request_body;
    use serde_json::json;
    use std::collections::BTreeMap;

    crate::model! {
        /// Written the way the generator writes a union subtype with every kind of field.
        pub struct Email {
            pub id: ::std::option::Option<::std::string::String> = read_only "id",
            pub email: ::std::string::String = required "email" => with_email(::std::string::String),
            pub roles: ::std::vec::Vec<::std::string::String> = collection "roles" => with_roles(::std::vec::Vec<::std::string::String>),
            pub expiry: ::std::option::Option<::std::string::String> = send_null "expiry" => with_expiry(::std::string::String),
            pub note: ::std::option::Option<::std::boxed::Box<Email>> = optional "note" => with_note(::std::boxed::Box<Email>),
            ..
            pub rest: ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,
        }
        tag "type" = "email";
        new(email: ::std::string::String, roles: ::std::vec::Vec<::std::string::String>);
    }

    crate::model! {
        /// Keeps other members typed, as a declared `additionalProperties` does.
        #[derive(Default)]
        pub struct Counts {
            ..
            pub counts: ::std::collections::BTreeMap<::std::string::String, i32>,
        }
    }

    crate::model! {
        /// Keeps nothing it does not describe (`additionalProperties: false`), and describes nothing.
        #[derive(Default)]
        pub struct Nothing {}
    }

    #[test]
    fn new_takes_the_required_fields_and_setters_the_others() {
        let user = Email::new("a@b.c", ["r".to_string()]).with_expiry("never").with_note(Email::new("x", []));
        assert_eq!((user.email.as_str(), user.roles.as_slice()), ("a@b.c", &["r".to_string()][..]));
        assert_eq!(user.expiry.as_deref(), Some("never"));
        assert_eq!(user.note.as_ref().map(|n| n.email.as_str()), Some("x"));
        assert_eq!((user.id, user.rest.len()), (None, 0));
        let user = Email::new("a@b.c", []).with_email("d@e.f").with_roles(vec!["s".into()]);
        assert_eq!((user.email.as_str(), user.roles.len()), ("d@e.f", 1));
        assert_eq!(Nothing::default(), Nothing {});
    }

    #[test]
    fn members_round_trip_unknown_ones_are_kept_and_the_tag_is_written() {
        let wire = json!({"type": "email", "id": "u1", "email": "a@b.c", "extra": {"x": 1}, "nothing": null});
        let user: Email = serde_json::from_value(wire).unwrap();
        assert_eq!(user.roles, Vec::<String>::new(), "a missing collection reads as empty");
        assert_eq!(user.rest.get("extra"), Some(&json!({"x": 1})));
        assert!(!user.rest.contains_key("type"), "the tag is the type's own");
        let back = serde_json::to_value(&user).unwrap();
        let expected = json!({"type": "email", "id": "u1", "email": "a@b.c", "roles": [], "expiry": null,
            "extra": {"x": 1}, "nothing": null});
        assert_eq!(back, expected);
        let sent = with_request_body(|| serde_json::to_value(&user).unwrap());
        assert!(sent.get("id").is_none(), "read-only members are not sent: {sent}");
        assert_eq!((&sent["type"], &sent["expiry"]), (&json!("email"), &json!(null)));
        let text = r#"{"email":"a@b.c","roles":null,"note":{"email":"n","roles":["r"]}}"#;
        let user: Email = serde_json::from_str(text).unwrap();
        assert_eq!((user.roles.len(), user.note.map(|n| n.roles)), (0, Some(vec!["r".to_string()])));
    }

    #[test]
    fn missing_required_members_and_bad_values_name_the_member() {
        let err = serde_json::from_value::<Email>(json!({"type": "email"})).unwrap_err();
        assert!(err.to_string().contains("missing field `email`"), "{err}");
        let err = serde_json::from_value::<Email>(json!({"email": null})).unwrap_err();
        assert!(err.to_string().contains("missing field `email`"), "{err}");
        let err = serde_json::from_value::<Email>(json!({"email": 5})).unwrap_err();
        assert!(err.to_string().starts_with("email: invalid type"), "{err}");
        let err = serde_json::from_str::<Email>(r#"{"email": "a", "note": {"email": 5}}"#).unwrap_err();
        assert!(err.to_string().starts_with("note: email: invalid type: integer `5`, expected a string"), "{err}");
        let err = serde_json::from_str::<Counts>(r#"{"a": 1, "b": "two"}"#).unwrap_err();
        assert!(err.to_string().starts_with("b: invalid type: string \"two\", expected i32"), "{err}");
        let not_an_object = serde_json::from_str::<Email>("[1]").unwrap_err();
        assert!(not_an_object.to_string().contains("expected a map"), "{not_an_object}");
    }

    #[test]
    fn a_repeated_member_counts_by_its_last_value_and_is_kept_once() {
        let long = r"a member name with an escape: \u00e9";
        let wire = format!(
            r#"{{"email": "old", "x": 1, "email": "new", "x": 2, "roles": ["r"], "roles": null, "{long}": 3}}"#
        );
        let user: Email = serde_json::from_str(&wire).unwrap();
        assert_eq!((user.email.as_str(), user.roles.len()), ("new", 0));
        let long = "a member name with an escape: é".to_string();
        assert_eq!(user.rest, BTreeMap::from([("x".to_string(), json!(2)), (long, json!(3))]));
    }

    #[test]
    fn names_repeated_past_the_first_members_count_by_their_last_value_too() {
        // 40 members: past the first 32 a repeat is no longer looked for, only assumed.
        let mut wire: Vec<String> = (0..37).map(|i| format!(r#""m{i}": {i}"#)).collect();
        wire.insert(0, r#""email": "first""#.to_string());
        wire.push(r#""email": "last""#.to_string());
        wire.push(r#""m1": "again""#.to_string());
        let user: Email = serde_json::from_str(&format!("{{{}}}", wire.join(", "))).unwrap();
        assert_eq!(user.email, "last");
        assert_eq!((user.rest.len(), &user.rest["m1"]), (37, &json!("again")));
        assert!(!user.rest.contains_key("email"), "an earlier value of a field is not another member");
    }

    #[test]
    fn other_members_are_typed_or_skipped() {
        let counts: Counts = serde_json::from_str(r#"{"a": 1, "b": 2}"#).unwrap();
        assert_eq!(counts.counts, BTreeMap::from([("a".to_string(), 1), ("b".to_string(), 2)]));
        assert_eq!(serde_json::to_string(&counts).unwrap(), r#"{"a":1,"b":2}"#);
        let nothing: Nothing = serde_json::from_str(r#"{"a": {"deep": [1, 2]}, "b": null}"#).unwrap();
        assert_eq!(serde_json::to_string(&nothing).unwrap(), "{}");
    }
}
