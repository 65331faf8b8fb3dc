//! [`model!`](crate::model!): how a generated crate declares a struct model, one line per field, and
//! what the declaration expands to call.
//!
//! A generated `models.rs` holds one `model!` per struct, written with a fixed layout, so that a
//! property the document adds or removes is a line added or removed there and nothing else. The
//! expansion is the struct (`#[non_exhaustive]`, so new fields are not a breaking change), a `new`
//! constructor taking the required fields, a `with_<field>` setter per field the caller may set,
//! and `Serialize`/`Deserialize` impls:
//!
//! - decoding reads the object's members once ([`Decode`]), each straight into its field by wire
//!   name, and keeps the members the model does not describe in its map of other members (or
//!   drops them when it has none); errors name the member (`displayName: invalid type: …`);
//! - encoding writes the fields through [`MapWriter`](crate::MapWriter), read-only fields only
//!   outside request bodies.
//!
//! Field kinds (the word after `=`) say how a field is read and written: `required` (absent or
//! `null` is an error), `collection` (a required array or map; absent or `null` reads as empty),
//! `optional`, `read_only` (optional, never sent in a request body) and `send_null` (optional, and
//! `None` is sent as `null`). Each kind is a module here with the same function (`finish`), so the
//! macro needs no rule per kind; a setter stores its value through `From` (`T` into `T` or
//! `Option<T>`), which costs the compiler less than a generic call per field.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
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
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::core::result::Result<Self, __D::Error> {
                deserializer.deserialize_map($crate::model::Visit::<Self>::new())
            }
        }

        impl $crate::model::Decode for $name {
            // `__A`: generic parameters are not hygienic, and field types name models.
            #[allow(unused_mut, unreachable_patterns)] // for a model without fields
            fn decode<'de, __A: ::serde::de::MapAccess<'de>>(map: __A) -> ::core::result::Result<Self, __A::Error> {
                $(let mut $field: ::core::option::Option<$ty> = ::core::option::Option::None;)*
                let mut others = $crate::__model_others!($($rest_ty)?);
                $crate::model::members(map, &mut [$(($tag, &mut $crate::model::Skip),)? $(($wire, &mut $field),)*], &mut others)?;
                // One match over every field, not an early return per field: it type-checks faster.
                let mut missing = ::core::option::Option::None;
                match ($($crate::model::$kind::finish($field, $wire, &mut missing),)*) {
                    ($(::core::option::Option::Some($field),)*) => ::core::result::Result::Ok(Self { $($field,)* $($rest: others,)? }),
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

/// The map of other members a [`model!`](crate::model!) starts decoding with: none kept when the
/// model has no such map.
#[doc(hidden)]
#[macro_export]
macro_rules! __model_others {
    () => {
        $crate::model::Dropped
    };
    ($rest_ty:ty) => {
        <$rest_ty as ::core::default::Default>::default()
    };
}

/// What a [`model!`](crate::model!) struct expands to decode with: the members of a JSON object,
/// read once in document order.
///
/// A model lists its fields as a table of wire names and slots (`Option`s of the field types);
/// [`members`] looks each member's name up in it (borrowed from the input, no copy) and decodes
/// the value straight into the slot, so nothing is built twice. A member the model does not
/// describe goes to its map of other members ([`Others`]), so a read-modify-write round trip loses
/// nothing; a repeated name counts by its last value, as in `serde_json::Map`. The code a model
/// expands to is the table, one `finish` call per field and one `match` over their results; the
/// decoding is one function per field type and input, shared by every model (what `#[derive]`
/// writes, a field enum and a visitor per model, costs several times the compile time).
pub trait Decode: Sized {
    /// Decodes the members of an object.
    fn decode<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The visitor a model's `Deserialize` hands its deserializer: one type for every model.
pub struct Visit<M>(PhantomData<fn() -> M>);

impl<M> Visit<M> {
    #[allow(clippy::new_without_default)] // only the macro makes one
    pub fn new() -> Self {
        Visit(PhantomData)
    }
}

impl<'de, M: Decode> Visitor<'de> for Visit<M> {
    type Value = M;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<M, A::Error> {
        M::decode(map)
    }
}

/// Reads a member's name: borrowed from the input when it can be (text without escapes), so a
/// name costs no allocation.
pub struct Name;

impl<'de> DeserializeSeed<'de> for Name {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Name {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(name))
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(name.to_string()))
    }

    fn visit_string<E: de::Error>(self, name: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(name))
    }
}

/// A field's place while its model is decoded: `None` until the member is read, and again for
/// `null`. One implementation per field type and input, shared by every model.
pub trait Slot<'de, A: MapAccess<'de>> {
    /// Decodes the member's value into the slot.
    fn read(&mut self, map: &mut A) -> Result<(), A::Error>;
}

impl<'de, A: MapAccess<'de>, T: Deserialize<'de>> Slot<'de, A> for Option<T> {
    fn read(&mut self, map: &mut A) -> Result<(), A::Error> {
        *self = map.next_value()?;
        Ok(())
    }
}

/// The slot of a member the model writes itself (a union subtype's discriminator): its value is
/// skipped.
pub struct Skip;

impl<'de, A: MapAccess<'de>> Slot<'de, A> for Skip {
    fn read(&mut self, map: &mut A) -> Result<(), A::Error> {
        skip(map)
    }
}

/// Reads an object's members: each one named in `fields` into its slot, every other one into
/// `others`. An error names the member (`displayName: invalid type: …`).
pub fn members<'de, A: MapAccess<'de>, O: Others>(
    mut map: A,
    fields: &mut [(&'static str, &mut dyn Slot<'de, A>)],
    others: &mut O,
) -> Result<(), A::Error> {
    // Where the next search starts: members usually come in the order the model lists them.
    let mut next = 0;
    while let Some(name) = map.next_key_seed(Name)? {
        let is = |(field, _): &(&str, _)| *field == name;
        let (before, after) = fields.split_at(next.min(fields.len()));
        let found = after.iter().position(is).map(|i| i + before.len()).or_else(|| before.iter().position(is));
        match found {
            Some(at) => {
                next = at + 1;
                let (field, slot) = &mut fields[at];
                slot.read(&mut map).map_err(|e| named(field, e))?;
            }
            None => others.keep(&mut map, name)?,
        }
    }
    Ok(())
}

/// The error for a required field found absent or `null`.
pub fn missing<E: de::Error>(name: Option<&'static str>) -> E {
    E::missing_field(name.unwrap_or_default())
}

/// Skips a member's value (a union subtype's discriminator, which the model writes itself).
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// `name: <error>`, without the position a text decoder put on the error: the outermost error
/// gets the position once, where the object being decoded failed.
fn named<E: de::Error>(name: &str, e: E) -> E {
    let message = e.to_string();
    E::custom(format_args!("{name}: {}", without_position(&message)))
}

/// `message` without a trailing ` at line L column C`.
fn without_position(message: &str) -> &str {
    let Some(at) = message.rfind(" at line ") else { return message };
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match message[at + " at line ".len()..].split_once(" column ") {
        Some((line, column)) if number(line) && number(column) => &message[..at],
        _ => message,
    }
}

/// Where the members a model does not describe go: its map of other members, or nowhere.
pub trait Others {
    /// Keeps (or skips) the value of member `name`.
    fn keep<'de, A: MapAccess<'de>>(&mut self, map: &mut A, name: Cow<'de, str>) -> Result<(), A::Error>;
}

/// The other members of a model that keeps none (`additionalProperties: false`).
pub struct Dropped;

impl Others for Dropped {
    fn keep<'de, A: MapAccess<'de>>(&mut self, map: &mut A, _: Cow<'de, str>) -> Result<(), A::Error> {
        skip(map)
    }
}

impl<T: DeserializeOwned> Others for BTreeMap<String, T> {
    fn keep<'de, A: MapAccess<'de>>(&mut self, map: &mut A, name: Cow<'de, str>) -> Result<(), A::Error> {
        match map.next_value::<T>() {
            Ok(value) => {
                self.insert(name.into_owned(), value);
                Ok(())
            }
            Err(e) => Err(named(&name, e)),
        }
    }
}

/// A required field: absent or `null` is an error.
pub mod required {
    /// The field's value; absent or `null` is a missing field (the first one is noted).
    pub fn finish<T>(slot: Option<T>, name: &'static str, missing: &mut Option<&'static str>) -> Option<T> {
        if slot.is_none() {
            missing.get_or_insert(name);
        }
        slot
    }
}

/// A required array or map: absent or `null` reads as empty (services omit empty arrays).
pub mod collection {
    /// The field's value, empty when absent or `null`.
    pub fn finish<T: Default>(slot: Option<T>, _: &'static str, _: &mut Option<&'static str>) -> Option<T> {
        Some(slot.unwrap_or_default())
    }
}

/// An optional field (`Option<T>`): absent or `null` is `None`.
pub mod optional {
    /// The field's value: `None` when absent or `null`.
    pub fn finish<T>(slot: Option<Option<T>>, _: &'static str, _: &mut Option<&'static str>) -> Option<Option<T>> {
        Some(slot.flatten())
    }
}

/// An optional field set by the service: read as [`optional`], never written in a request body.
pub mod read_only {
    pub use super::optional::finish;
}

/// A required but nullable field: read as [`optional`], and `None` is written as `null`.
pub mod send_null {
    pub use super::optional::finish;
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
