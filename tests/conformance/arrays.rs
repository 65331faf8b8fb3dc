//! Arrays on the AutoRest test server (`body-array.json`): items of every primitive type and format,
//! of models, arrays and maps. A valid array is read and sent back as read (the server expects the
//! same values); items that do not fit the item type are decode errors, `null` items are decoded
//! where the document marks them nullable. One test per coverage key (a `get`/`put` pair shares one).

#[macro_use]
mod support;

use autorest_body_array::runtime::{Credential, DateTime, ErrorKind};
use autorest_body_array::Client;

fn client() -> Client {
    Client::with_options(Credential::none(), options!(autorest_body_array)).expect("client")
}

/// Reads a valid array and sends it back.
macro_rules! round_trip {
    ($test:ident, $get:ident, $put:ident) => {
        #[tokio::test]
        async fn $test() {
            let c = client();
            let value = c.array().$get().await.expect("a valid array");
            c.array().$put(&value).await.expect("the same array sent");
        }
    };
}

/// A body that does not fit the type is a decode error.
macro_rules! decode_error {
    ($test:ident, $get:ident) => {
        #[tokio::test]
        async fn $test() {
            let err = client().array().$get().await.expect_err("an invalid array");
            assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        }
    };
}

round_trip!(array_boolean_valid, get_boolean_tfft, put_boolean_tfft);
round_trip!(array_integer_valid, get_integer_valid, put_integer_valid);
round_trip!(array_long_valid, get_long_valid, put_long_valid);
round_trip!(array_float_valid, get_float_valid, put_float_valid);
round_trip!(array_double_valid, get_double_valid, put_double_valid);
round_trip!(array_string_valid, get_string_valid, put_string_valid);
round_trip!(array_enum_valid, get_enum_valid, put_enum_valid);
round_trip!(array_uuid_valid, get_uuid_valid, put_uuid_valid);
round_trip!(array_date_valid, get_date_valid, put_date_valid);
round_trip!(array_date_time_rfc1123_valid, get_date_time_rfc1123_valid, put_date_time_rfc1123_valid);
round_trip!(array_duration_valid, get_duration_valid, put_duration_valid);
round_trip!(array_byte_valid, get_byte_valid, put_byte_valid);
round_trip!(array_complex_valid, get_complex_valid, put_complex_valid);
round_trip!(array_array_valid, get_array_valid, put_array_valid);
round_trip!(array_dictionary_valid, get_dictionary_valid, put_dictionary_valid);

decode_error!(get_array_null, get_null);
decode_error!(get_array_invalid, get_invalid);
decode_error!(get_array_boolean_with_null, get_boolean_invalid_null);
decode_error!(get_array_boolean_with_string, get_boolean_invalid_string);
decode_error!(get_array_integer_with_null, get_int_invalid_null);
decode_error!(get_array_integer_with_string, get_int_invalid_string);
decode_error!(get_array_long_with_null, get_long_invalid_null);
decode_error!(get_array_long_with_string, get_long_invalid_string);
decode_error!(get_array_float_with_null, get_float_invalid_null);
decode_error!(get_array_float_with_string, get_float_invalid_string);
decode_error!(get_array_double_with_null, get_double_invalid_null);
decode_error!(get_array_double_with_string, get_double_invalid_string);
decode_error!(get_array_string_with_number, get_string_with_invalid);
decode_error!(get_array_date_with_null, get_date_invalid_null);
decode_error!(get_array_date_with_invalid_chars, get_date_invalid_chars);
decode_error!(get_array_date_time_with_null, get_date_time_invalid_null);
decode_error!(get_array_date_time_with_invalid_chars, get_date_time_invalid_chars);
decode_error!(get_array_byte_with_null, get_byte_invalid_null);
decode_error!(get_array_complex_null, get_complex_null);
decode_error!(get_array_array_null, get_array_null);
decode_error!(get_array_dictionary_null, get_dictionary_null);

#[tokio::test]
async fn array_empty() {
    let c = client();
    assert!(c.array().get_empty().await.expect("[]").is_empty());
    c.array().put_empty(&Vec::new()).await.expect("[] sent");
}

#[tokio::test]
async fn get_array_uuid_with_invalid_chars() {
    // A uuid is a string here: the invalid one is kept as sent.
    let uuids = client().array().get_uuid_invalid_chars().await.expect("strings");
    assert_eq!(uuids[1], "foo");
}

#[tokio::test]
async fn array_string_enum_valid() {
    let c = client();
    let got = c.array().get_string_enum_valid().await.expect("enum values");
    assert_eq!(got.len(), 3);
    let sent: Vec<_> = got.iter().map(|v| v.as_str().parse().expect("the same value")).collect();
    c.array().put_string_enum_valid(&sent).await.expect("the same values sent");
}

#[tokio::test]
async fn array_date_time_valid() {
    // Read in any case and offset. The server then expects each local wall-clock time marked `Z`
    // (not the same instants), so those texts are what is sent.
    let c = client();
    let got = c.array().get_date_time_valid().await.expect("date-times");
    let parse = |text: &str| DateTime::parse(text).expect("a date-time");
    assert_eq!(got, [parse("2000-12-01T00:00:01Z"), parse("1980-01-01T23:11:35Z"), parse("1492-10-12T18:15:01Z")]);
    let sent = ["2000-12-01T00:00:01Z", "1980-01-02T00:11:35Z", "1492-10-12T10:15:01Z"].map(parse);
    c.array().put_date_time_valid(&sent.to_vec()).await.expect("sent as given");
}

#[tokio::test]
async fn get_array_string_with_null() {
    let strings = client().array().get_string_with_null().await.expect("nullable items");
    assert_eq!(strings, [Some("foo".to_string()), None, Some("foo2".to_string())]);
}

#[tokio::test]
async fn get_array_base64_url() {
    let items = client().array().get_base64_url().await.expect("base64url items");
    assert_eq!(items[0].0, b"a string that gets encoded with base64url");
}

#[tokio::test]
async fn get_array_complex_empty_and_items() {
    let a = client();
    assert!(a.array().get_complex_empty().await.expect("[]").is_empty());
    let item_null = a.array().get_complex_item_null().await.expect("a null item");
    assert!(item_null[1].is_none());
    let item_empty = a.array().get_complex_item_empty().await.expect("an empty item");
    assert_eq!((item_empty[1].integer, item_empty[1].string.as_deref()), (None, None));
}

#[tokio::test]
async fn get_array_array_empty_and_items() {
    let a = client();
    assert!(a.array().get_array_empty().await.expect("[]").is_empty());
    let item_null = a.array().get_array_item_null().await.expect("a null item");
    assert!(item_null[1].is_none());
    let item_empty = a.array().get_array_item_empty().await.expect("an empty item");
    assert!(item_empty[1].is_empty());
}

#[tokio::test]
async fn get_array_dictionary_empty_and_items() {
    let a = client();
    assert!(a.array().get_dictionary_empty().await.expect("[]").is_empty());
    let item_null = a.array().get_dictionary_item_null().await.expect("a null item");
    assert!(item_null[1].is_none());
    let item_empty = a.array().get_dictionary_item_empty().await.expect("an empty item");
    assert!(item_empty[1].is_empty());
}
