//! Primitive bodies and formats on the AutoRest test server: booleans (`body-boolean.json`),
//! base64 bytes (`body-byte.json`), dates (`body-date.json`), durations (`body-duration.json`),
//! integers and Unix times (`body-integer.json`), floats (`body-number.json`) and strings,
//! base64url and enums (`body-string.json`). One test per coverage key (a `get`/`put` pair
//! of one value shares a test). Values the service sends that do not fit the type are decode errors.

#[macro_use]
mod support;

/// Asserts that a call failed to decode its (invalid) body.
macro_rules! assert_decode_error {
    ($krate:ident, $call:expr) => {
        let err = $call.await.expect_err("an invalid body");
        assert_eq!(err.kind(), $krate::runtime::ErrorKind::Decode, "{err}");
    };
}

mod boolean {
    use autorest_body_boolean::runtime::Credential;
    use autorest_body_boolean::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_body_boolean)).expect("client")
    }

    #[tokio::test]
    async fn bool_true_and_false() {
        let b = client();
        assert!(b.bool().get_true().await.expect("true"));
        assert!(!b.bool().get_false().await.expect("false"));
        b.bool().put_true(&true).await.expect("true sent");
        b.bool().put_false(&false).await.expect("false sent");
    }

    #[tokio::test]
    async fn get_bool_null() {
        assert_eq!(client().bool().get_null().await.expect("no body"), None);
    }

    #[tokio::test]
    async fn get_bool_invalid() {
        assert_decode_error!(autorest_body_boolean, client().bool().get_invalid());
    }
}

mod byte {
    use autorest_body_byte::runtime::{Base64, Credential};
    use autorest_body_byte::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_body_byte)).expect("client")
    }

    const NON_ASCII: [u8; 10] = [255, 254, 253, 252, 251, 250, 249, 248, 247, 246];

    #[tokio::test]
    async fn byte_non_ascii() {
        let c = client();
        assert_eq!(c.byte().get_non_ascii().await.expect("base64").0, NON_ASCII);
        c.byte().put_non_ascii(&Base64(NON_ASCII.to_vec())).await.expect("base64 sent");
    }

    #[tokio::test]
    async fn get_byte_null() {
        // The document does not allow null here.
        assert_decode_error!(autorest_body_byte, client().byte().get_null());
    }

    #[tokio::test]
    async fn get_byte_empty() {
        assert!(client().byte().get_empty().await.expect("\"\"").is_empty());
    }

    #[tokio::test]
    async fn get_byte_invalid() {
        assert_decode_error!(autorest_body_byte, client().byte().get_invalid());
    }
}

mod date {
    use autorest_body_date::runtime::{Credential, Date};
    use autorest_body_date::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_body_date)).expect("client")
    }

    #[tokio::test]
    async fn date_max() {
        let c = client();
        assert_eq!(c.date().get_max_date().await.expect("a date").to_string(), "9999-12-31");
        c.date().put_max_date(&Date::from_ymd(9999, 12, 31).expect("a date")).await.expect("9999-12-31 sent");
    }

    #[tokio::test]
    async fn date_min() {
        let c = client();
        // The document declares the minimum as an enum of "0000-01-01"; the server sends 0001-01-01.
        assert_decode_error!(autorest_body_date, c.date().get_min_date());
        c.date().put_min_date(&Date::from_ymd(1, 1, 1).expect("a date")).await.expect("0001-01-01 sent");
    }

    #[tokio::test]
    async fn get_date_null() {
        assert_eq!(client().date().get_null().await.expect("no body"), None);
    }

    #[tokio::test]
    async fn get_date_invalid_overflow_underflow() {
        let c = client();
        assert_decode_error!(autorest_body_date, c.date().get_invalid_date());
        assert_decode_error!(autorest_body_date, c.date().get_overflow_date());
        assert_decode_error!(autorest_body_date, c.date().get_underflow_date());
    }
}

mod duration {
    use autorest_body_duration::runtime::{Credential, Duration};
    use autorest_body_duration::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_body_duration)).expect("client")
    }

    #[tokio::test]
    async fn duration_positive() {
        let c = client();
        assert_eq!(c.duration().get_positive_duration().await.expect("a duration").to_string(), "P3Y6M4DT12H30M5S");
        let d: Duration = "P123DT22H14M12.011S".parse().expect("a duration");
        c.duration().put_positive_duration(&d).await.expect("sent exactly");
    }

    #[tokio::test]
    async fn get_duration_null() {
        assert_eq!(client().duration().get_null().await.expect("no body"), None);
    }

    #[tokio::test]
    async fn get_duration_invalid() {
        assert_decode_error!(autorest_body_duration, client().duration().get_invalid());
    }
}

mod integer {
    use autorest_body_integer::runtime::{Credential, UnixTime};
    use autorest_body_integer::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_body_integer)).expect("client")
    }

    #[tokio::test]
    async fn put_integer_and_long_max_min() {
        let c = client();
        c.int().put_max32(&i32::MAX).await.expect("max 32");
        c.int().put_min32(&i32::MIN).await.expect("min 32");
        c.int().put_max64(&i64::MAX).await.expect("max 64");
        c.int().put_min64(&i64::MIN).await.expect("min 64");
    }

    #[tokio::test]
    async fn get_integer_null() {
        assert_eq!(client().int().get_null().await.expect("no body"), None);
    }

    #[tokio::test]
    async fn get_integer_invalid_overflow_underflow() {
        let c = client();
        assert_decode_error!(autorest_body_integer, c.int().get_invalid());
        assert_decode_error!(autorest_body_integer, c.int().get_overflow_int32());
        assert_decode_error!(autorest_body_integer, c.int().get_underflow_int32());
        assert_decode_error!(autorest_body_integer, c.int().get_overflow_int64());
        assert_decode_error!(autorest_body_integer, c.int().get_underflow_int64());
    }

    #[tokio::test]
    async fn unix_time() {
        let c = client();
        let t = c.int().get_unix_time().await.expect("a Unix time");
        assert_eq!(t, UnixTime(1_460_505_600));
        assert_eq!(t.to_offset_date_time().expect("in range").date().to_string(), "2016-04-13");
        c.int().put_unix_time_date(&t).await.expect("sent as a number");
        assert_decode_error!(autorest_body_integer, c.int().get_invalid_unix_time());
        assert_eq!(c.int().get_null_unix_time().await.expect("no body"), None);
    }
}

mod number {
    use autorest_body_number::runtime::Credential;
    use autorest_body_number::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_body_number)).expect("client")
    }

    #[tokio::test]
    async fn get_number_null() {
        assert_eq!(client().number().get_null().await.expect("no body"), None);
    }

    #[tokio::test]
    async fn get_float_and_double_invalid() {
        let c = client();
        assert_decode_error!(autorest_body_number, c.number().get_invalid_float());
        assert_decode_error!(autorest_body_number, c.number().get_invalid_double());
    }

    #[tokio::test]
    async fn float_scientific_notation() {
        let c = client();
        let n = c.number();
        assert_eq!(n.get_big_float().await.expect("big"), 3.402823e20);
        n.put_big_float(&3.402823e20).await.expect("big sent");
        assert_eq!(n.get_small_float().await.expect("small"), 3.402823e-20);
        n.put_small_float(&3.402823e-20).await.expect("small sent");
    }

    #[tokio::test]
    async fn double_scientific_notation_and_decimals() {
        let c = client();
        let n = c.number();
        assert_eq!(n.get_big_double().await.expect("big"), 2.5976931e101);
        n.put_big_double(&2.5976931e101).await.expect("big sent");
        assert_eq!(n.get_small_double().await.expect("small"), 2.5976931e-101);
        n.put_small_double(&2.5976931e-101).await.expect("small sent");
        assert_eq!(n.get_big_double_positive_decimal().await.expect("positive"), 99999999.99);
        n.put_big_double_positive_decimal(&99999999.99).await.expect("positive sent");
        assert_eq!(n.get_big_double_negative_decimal().await.expect("negative"), -99999999.99);
        n.put_big_double_negative_decimal(&-99999999.99).await.expect("negative sent");
    }
}

mod string {
    use autorest_body_string::models::{
        ColorConstant, Colors, RefColorConstant, RefColors, StringGetWhitespaceResponse200, StringPutEmptyBody,
        StringPutMbcsBody, StringPutWhitespaceBody,
    };
    use autorest_body_string::runtime::{Base64Url, Credential};
    use autorest_body_string::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_body_string)).expect("client")
    }

    #[tokio::test]
    async fn string_null() {
        let c = client();
        assert_eq!(c.string().get_null().await.expect("no body"), None);
        c.string().put_null().await.expect("no body sent");
    }

    #[tokio::test]
    async fn string_empty() {
        let c = client();
        c.string().get_empty().await.expect("\"\"");
        c.string().put_empty(&StringPutEmptyBody::Empty).await.expect("\"\" sent");
    }

    #[tokio::test]
    async fn get_string_not_provided() {
        assert_decode_error!(autorest_body_string, client().string().get_not_provided());
    }

    #[tokio::test]
    async fn string_with_leading_and_trailing_whitespace() {
        let c = client();
        let got = c.string().get_whitespace().await.expect("kept as sent");
        assert_eq!(got, StringGetWhitespaceResponse200::NowIsTheTimeForAllGoodMenToComeToTheAidOfTheirCountry);
        let body = StringPutWhitespaceBody::NowIsTheTimeForAllGoodMenToComeToTheAidOfTheirCountry;
        c.string().put_whitespace(&body).await.expect("sent as is");
    }

    #[tokio::test]
    async fn string_multi_byte_characters() {
        let c = client();
        c.string().get_mbcs().await.expect("UTF-8 decoded");
        c.string().put_mbcs(&StringPutMbcsBody::Empty).await.expect("UTF-8 sent");
    }

    #[tokio::test]
    async fn string_base64() {
        let c = client();
        let text = b"a string that gets encoded with base64url";
        assert_eq!(c.string().get_base64_url_encoded().await.expect("base64url").0, text);
        c.string().put_base64_url_encoded(&Base64Url(text.to_vec())).await.expect("base64url sent");
        assert_eq!(c.string().get_base64_encoded().await.expect("base64").0, b"a string that gets encoded with base64");
        assert_eq!(c.string().get_null_base64_url_encoded().await.expect("no body"), None);
    }

    #[tokio::test]
    async fn enums() {
        let c = client();
        assert_eq!(c.r#enum().get_not_expandable().await.expect("an enum"), Colors::RedColor);
        c.r#enum().put_not_expandable(&Colors::RedColor).await.expect("sent");
        assert_eq!(c.r#enum().get_referenced().await.expect("an enum"), RefColors::RedColor);
        c.r#enum().put_referenced(&RefColors::RedColor).await.expect("sent");
        // The server leaves out the model's required (constant) field.
        assert_decode_error!(autorest_body_string, c.r#enum().get_referenced_constant());
        c.r#enum().put_referenced_constant(&RefColorConstant::new(ColorConstant::GreenColor)).await.expect("sent");
    }
}

mod datetime {
    use autorest_body_datetime::runtime::{Credential, DateTime};
    use autorest_body_datetime::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_body_datetime)).expect("client")
    }

    fn parse(text: &str) -> DateTime {
        DateTime::parse(text).expect("a date-time")
    }

    #[tokio::test]
    async fn date_time_max_in_either_case_and_offset() {
        let c = client();
        let d = c.datetime();
        let utc = parse("9999-12-31T23:59:59.999Z");
        assert_eq!(d.get_utc_lowercase_max_date_time().await.expect("lowercase t and z"), utc);
        assert_eq!(d.get_utc_uppercase_max_date_time().await.expect("uppercase"), utc);
        let plus = parse("9999-12-31T23:59:59.999+14:00");
        assert_eq!(d.get_local_positive_offset_lowercase_max_date_time().await.expect("+14:00"), plus);
        assert_eq!(d.get_local_positive_offset_uppercase_max_date_time().await.expect("+14:00"), plus);
        let minus = parse("9999-12-31T23:59:59.999-14:00");
        assert_eq!(d.get_local_negative_offset_lowercase_max_date_time().await.expect("-14:00"), minus);
        assert_eq!(d.get_local_negative_offset_uppercase_max_date_time().await.expect("-14:00"), minus);
        d.put_utc_max_date_time(&utc).await.expect("sent as received");
    }

    #[tokio::test]
    async fn date_time_min() {
        let c = client();
        let d = c.datetime();
        // The document declares the minimums as single-value enums: the UTC one matches what the
        // server sends; the offset ones are written with a lowercase `t` there, so they do not.
        d.get_utc_min_date_time().await.expect("0001-01-01T00:00:00Z");
        assert_decode_error!(autorest_body_datetime, d.get_local_positive_offset_min_date_time());
        assert_decode_error!(autorest_body_datetime, d.get_local_negative_offset_min_date_time());
        let no_offset = d.get_local_no_offset_min_date_time().await.expect("UTC assumed");
        assert_eq!(no_offset, parse("0001-01-01T00:00:00Z"));
        let min: DateTime = time::macros::datetime!(0001-01-01 00:00:00 UTC).into();
        d.put_utc_min_date_time(&min).await.expect("0001-01-01T00:00:00Z sent");
    }

    #[tokio::test]
    async fn get_date_time_null() {
        assert_eq!(client().datetime().get_null().await.expect("no body"), None);
    }

    #[tokio::test]
    async fn get_date_time_invalid_and_underflow() {
        let c = client();
        assert_decode_error!(autorest_body_datetime, c.datetime().get_invalid());
        assert_decode_error!(autorest_body_datetime, c.datetime().get_underflow());
    }

    #[tokio::test]
    async fn get_date_time_overflow() {
        // 9999-12-31T23:59:59.999-14:00 is a year-10000 instant in UTC, kept in its own offset.
        let overflow = client().datetime().get_overflow().await.expect("representable");
        assert_eq!(overflow.year(), 9999);
    }
}

mod datetime_rfc1123 {
    use autorest_body_datetime_rfc1123::runtime::{Credential, DateTime};
    use autorest_body_datetime_rfc1123::Client;

    fn client() -> Client {
        Client::with_options(Credential::none(), options!(autorest_body_datetime_rfc1123)).expect("client")
    }

    #[tokio::test]
    async fn date_time_rfc1123_max() {
        let c = client();
        let d = c.datetimerfc1123();
        let max = DateTime::parse("Fri, 31 Dec 9999 23:59:59 GMT").expect("RFC 1123");
        assert_eq!(d.get_utc_lowercase_max_date_time().await.expect("lowercase"), max);
        assert_eq!(d.get_utc_uppercase_max_date_time().await.expect("uppercase"), max);
        d.put_utc_max_date_time(&max).await.expect("sent as received");
    }

    #[tokio::test]
    async fn date_time_rfc1123_min() {
        let c = client();
        let d = c.datetimerfc1123();
        // The document declares the minimum as a single-value enum of another text.
        assert_decode_error!(autorest_body_datetime_rfc1123, d.get_utc_min_date_time());
        let min = DateTime::parse("Mon, 01 Jan 0001 00:00:00 GMT").expect("RFC 1123");
        d.put_utc_min_date_time(&min).await.expect("sent as received");
    }

    #[tokio::test]
    async fn get_date_time_rfc1123_null() {
        assert_eq!(client().datetimerfc1123().get_null().await.expect("no body"), None);
    }

    #[tokio::test]
    async fn get_date_time_rfc1123_invalid_overflow_underflow() {
        let c = client();
        assert_decode_error!(autorest_body_datetime_rfc1123, c.datetimerfc1123().get_invalid());
        assert_decode_error!(autorest_body_datetime_rfc1123, c.datetimerfc1123().get_overflow());
        assert_decode_error!(autorest_body_datetime_rfc1123, c.datetimerfc1123().get_underflow());
    }
}
