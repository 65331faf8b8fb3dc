//! Compile-time checks of the public API of `iot-rest` (trybuild): `ui/pass` must build, and every
//! `ui/fail/*.rs` must fail with exactly the error in its `.stderr` file.
//!
//! After an intended change of a message, regenerate the `.stderr` files and read them:
//!
//! ```text
//! TRYBUILD=overwrite cargo test -p iot-rest-tests --test ui
//! ```

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
