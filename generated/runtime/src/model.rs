//! [`model!`](crate::model!): how a generated crate declares a struct model, one line per field, and
//! what the declaration expands to call.
//!
//! A generated `models.rs` holds one `model!` per struct, written with a fixed layout, so that a
//! property the document adds or removes is a line added or removed there and nothing else. The
//! expansion is the struct (`#[non_exhaustive]`, so new fields are not a breaking change), a `new`
//! constructor taking the required fields, a `with_<field>` setter per field the caller may set,
//! and `Serialize`/`Deserialize` impls:
//!
//! - decoding reads the object in one pass, straight into the fields' types: each member is matched
//!   by name and decoded where it stands, members the model does not describe are kept in its map
//!   of other members (or skipped when it has none), and errors name the member
//!   (`displayName: invalid type: …`);
//! - encoding writes the fields through [`MapWriter`](crate::MapWriter), read-only fields only
//!   outside request bodies.
//!
//! Field kinds (the word after `=`) say how a field is read and written: `required` (absent or
//! `null` is an error), `collection` (a required array or map; absent or `null` reads as empty),
//! `optional`, `read_only` (optional, never sent in a request body) and `send_null` (optional, and
//! `None` is sent as `null`). Each kind is a module here with the same three functions (`read`,
//! `finish`, `set`), so the macro needs no rule per kind.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
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
                pub fn $setter(mut self, value: impl ::core::convert::Into<$value_ty>) -> Self {
                    self.$field = $crate::model::$kind::set(value);
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
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::model::deserialize(deserializer)
            }
        }

        impl $crate::model::ReadMap for $name {
            type Slots = ($(::core::option::Option<$ty>,)* $($rest_ty,)?);
            #[allow(clippy::unused_unit)] // for a model without fields
            fn empty<__E>() -> Self::Slots {
                ($(::core::option::Option::<$ty>::None,)* $(<$rest_ty>::new(),)?)
            }

            // `__A`, `__E`: generic parameters are not hygienic, and field types name models.
            #[allow(clippy::match_single_binding)] // for a model without fields
            fn member<'de, __A: ::serde::de::MapAccess<'de>>(
                slots: &mut Self::Slots,
                key: $crate::model::Key<'de>,
                map: &mut __A,
            ) -> ::core::result::Result<(), __A::Error> {
                let ($($field,)* $($rest,)?) = slots;
                match key.as_str() {
                    $($wire => $crate::model::$kind::read(map, $wire, $field),)*
                    $($tag => $crate::model::skip(map),)?
                    _ => $crate::model::other(map, key, ($($rest)?)),
                }
            }

            #[allow(unreachable_patterns, unused_mut)] // for a model without fields
            fn finish<__E: ::serde::de::Error>(slots: Self::Slots) -> ::core::result::Result<Self, __E> {
                let ($($field,)* $($rest,)?) = slots;
                let mut missing = ::core::option::Option::None;
                match ($($crate::model::$kind::finish($field, $wire, &mut missing),)*) {
                    ($(::core::option::Option::Some($field),)*) => ::core::result::Result::Ok(Self { $($field,)* $($rest,)? }),
                    _ => ::core::result::Result::Err($crate::model::missing(missing)),
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

/// Decoding of a [`model!`](crate::model!) struct from a JSON object's members, one at a time:
/// the loop over the members is [`deserialize`]'s, so a model only says what each member is.
pub trait ReadMap: Sized {
    /// The fields while the object is read: `Option`s (and the map of other members).
    type Slots;
    /// The slots before the first member.
    fn empty<E>() -> Self::Slots;
    /// Reads the value of member `key` into its slot.
    fn member<'de, A: MapAccess<'de>>(slots: &mut Self::Slots, key: Key<'de>, map: &mut A) -> Result<(), A::Error>;
    /// The model once every member is read.
    fn finish<E: de::Error>(slots: Self::Slots) -> Result<Self, E>;
}

/// Decodes a [`ReadMap`] model from an object.
pub fn deserialize<'de, D: Deserializer<'de>, T: ReadMap>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(Object(PhantomData))
}

struct Object<T>(PhantomData<fn() -> T>);

impl<'de, T: ReadMap> Visitor<'de> for Object<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut slots = T::empty::<A::Error>();
        while let Some(key) = map.next_key()? {
            T::member(&mut slots, key, &mut map)?;
        }
        T::finish(slots)
    }
}

/// A member name: borrowed from the input when it can be, so matching it allocates nothing.
pub enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(name) => name,
            Key::Owned(name) => name,
        }
    }

    fn into_string(self) -> String {
        match self {
            Key::Borrowed(name) => name.to_string(),
            Key::Owned(name) => name,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl<'de> Visitor<'de> for Name {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(name))
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(name.to_string()))
            }
            fn visit_string<E: de::Error>(self, name: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(name))
            }
        }
        deserializer.deserialize_str(Name)
    }
}

/// A member's value, decoded as `T`; an error names the member (`key: …`).
struct Member<'k, T> {
    key: &'k str,
    value: PhantomData<fn() -> T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Member<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer).map_err(|e| de::Error::custom(format_args!("{}: {e}", self.key)))
    }
}

/// The next value of `map`, absent when `null`, with errors naming `key`.
fn nullable<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A, key: &str) -> Result<Option<T>, A::Error> {
    map.next_value_seed(Member { key, value: PhantomData })
}

/// A required field: absent or `null` is an error.
pub mod required {
    use super::*;

    /// Reads the member's value into `slot` (`None` for `null`).
    pub fn read<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        map: &mut A,
        key: &'static str,
        slot: &mut Option<T>,
    ) -> Result<(), A::Error> {
        *slot = nullable(map, key)?;
        Ok(())
    }

    /// The field once every member is read; `None` (with `key` noted as missing) when absent.
    pub fn finish<T>(slot: Option<T>, key: &'static str, missing: &mut Option<&'static str>) -> Option<T> {
        if slot.is_none() {
            missing.get_or_insert(key);
        }
        slot
    }

    /// What a setter stores.
    pub fn set<T>(value: impl Into<T>) -> T {
        value.into()
    }
}

/// A required array or map: absent or `null` reads as empty (services omit empty arrays).
pub mod collection {
    pub use super::optional::finish;
    pub use super::required::{read, set};
}

/// An optional field (`Option<T>`): absent or `null` is `None`.
pub mod optional {
    use super::*;

    /// Reads the member's value into `slot` (`Some(None)` for `null`).
    pub fn read<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        map: &mut A,
        key: &'static str,
        slot: &mut Option<Option<T>>,
    ) -> Result<(), A::Error> {
        *slot = Some(nullable(map, key)?);
        Ok(())
    }

    /// The field once every member is read: empty when absent.
    pub fn finish<T: Default>(slot: Option<T>, _key: &'static str, _missing: &mut Option<&'static str>) -> Option<T> {
        Some(slot.unwrap_or_default())
    }

    /// What a setter stores.
    pub fn set<T>(value: impl Into<T>) -> Option<T> {
        Some(value.into())
    }
}

/// An optional field set by the service: read as [`optional`], never written in a request body.
pub mod read_only {
    pub use super::optional::{finish, read, set};
}

/// A required but nullable field: read as [`optional`], and `None` is written as `null`.
pub mod send_null {
    pub use super::optional::{finish, read, set};
}

/// The error of an object without required member `key`.
pub fn missing<E: de::Error>(key: Option<&'static str>) -> E {
    E::missing_field(key.unwrap_or_default())
}

/// Skips a member the model writes itself (a union subtype's discriminator).
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// A member the model does not describe: kept in its map of other members, or skipped if it has none.
pub fn other<'de, A: MapAccess<'de>, R: Rest<'de>>(map: &mut A, key: Key<'de>, rest: R) -> Result<(), A::Error> {
    rest.keep(map, key)
}

/// Where members a model does not describe go: `()` when it keeps none.
pub trait Rest<'de> {
    /// Reads the value of member `key` and keeps it.
    fn keep<A: MapAccess<'de>>(self, map: &mut A, key: Key<'de>) -> Result<(), A::Error>;
}

impl<'de> Rest<'de> for () {
    fn keep<A: MapAccess<'de>>(self, map: &mut A, _: Key<'de>) -> Result<(), A::Error> {
        skip(map)
    }
}

impl<'de, V: Deserialize<'de>> Rest<'de> for &mut BTreeMap<String, V> {
    /// A repeated name counts by its last value.
    fn keep<A: MapAccess<'de>>(self, map: &mut A, key: Key<'de>) -> Result<(), A::Error> {
        let value = map.next_value_seed(Member { key: key.as_str(), value: PhantomData })?;
        self.insert(key.into_string(), value);
        Ok(())
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
        assert_eq!(err.to_string(), "note: email: invalid type: integer `5`, expected a string at line 1 column 34");
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
    fn other_members_are_typed_or_skipped() {
        let counts: Counts = serde_json::from_str(r#"{"a": 1, "b": 2}"#).unwrap();
        assert_eq!(counts.counts, BTreeMap::from([("a".to_string(), 1), ("b".to_string(), 2)]));
        assert_eq!(serde_json::to_string(&counts).unwrap(), r#"{"a":1,"b":2}"#);
        let nothing: Nothing = serde_json::from_str(r#"{"a": {"deep": [1, 2]}, "b": null}"#).unwrap();
        assert_eq!(serde_json::to_string(&nothing).unwrap(), "{}");
    }
}
