//! Arbitrary JSON into every model of the `iot-rest` crate: random values shaped after each model
//! (its wire names as keys and strings, nested at random), and mutated example bodies of our
//! documents through the example dispatcher. Decoding may fail; it must not panic, and a value that
//! decodes must encode to JSON that decodes again.
//!
//! `cargo test` runs [`SUITE_ROUNDS`] rounds from [`SUITE_SEED`] (a round feeds every model one value
//! and every example one mutation); `cargo xtask fuzz --seconds N` runs for N seconds from a fresh
//! seed (environment `FUZZ_SECONDS`, `FUZZ_SEED`). A failure names the seed, round and input.

#[path = "../generator/tests/support/nodes.rs"]
mod nodes;
#[path = "../generator/tests/support/rng.rs"]
mod rng;

use std::panic::{catch_unwind, AssertUnwindSafe};

use iot_rest_tests::dispatch::{Decode, APIS, MODEL_APIS};
use iot_rest_tests::examples::{cases_from_document, Case};
use iot_rest_tests::workspace_root;
use nodes::pointers;
use rng::{FuzzConfig, Rng};
use serde_json::{json, Map, Value};

const SUITE_ROUNDS: u64 = 100;
const SUITE_SEED: u64 = 0x00de_c0de;

/// Strings that models meet at the edges: dates, enum-like words, empty, huge, odd characters.
const STRINGS: &[&str] = &[
    "", "a", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.123456789+05:30", "9999-12-31T23:59:59Z", "2024-13-45T99:99:99Z",
    "1970-01-01T00:00:00+25:00", "2016-12-31T23:59:60Z", "Mon, 01 Jan 2024 00:00:00 GMT", "not a date", "null", "true", "0",
    "-1", "\u{0}", "\u{202e}", "😀", "\"", "\\", "Other", "Unknown", "kind", "type", "@odata.type",
];

fn number(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0 => json!(i64::MAX),
        1 => json!(i64::MIN),
        2 => json!(u64::MAX),
        3 => json!(1e308),
        4 => json!(-1e-300),
        5 => json!(2f64.powi(53) + 1.0),
        6 => json!(0.5),
        7 => json!(3.4e39),
        8 => json!(i32::MAX as i64 + 1),
        _ => json!(rng.below(100) as i64 - 50),
    }
}

fn string(rng: &mut Rng, words: &[&str]) -> String {
    match rng.below(6) {
        0 | 1 if !words.is_empty() => rng.pick(words).to_string(),
        2 => "x".repeat(rng.below(5000)),
        _ => rng.pick(STRINGS).to_string(),
    }
}

/// A random value; objects mostly use `words` (the wire names of the API's models) as keys.
fn value(rng: &mut Rng, words: &[&str], depth: usize) -> Value {
    match rng.below(if depth == 0 { 5 } else { 10 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.one_in(2)),
        2 => number(rng),
        3 | 4 => Value::String(string(rng, words)),
        5 => Value::Array((0..rng.below(4)).map(|_| value(rng, words, depth - 1)).collect()),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.below(8) {
                map.insert(string(rng, words), value(rng, words, depth - 1));
            }
            Value::Object(map)
        }
    }
}

/// One to three changes anywhere in `value`: a node replaced, a member removed or added.
fn mutate(rng: &mut Rng, value: &mut Value, words: &[&str]) {
    for _ in 0..1 + rng.below(3) {
        let nodes = pointers(value);
        let target = rng.pick(&nodes).clone();
        let replacement = self::value(rng, words, 2);
        match (rng.below(3), value.pointer_mut(&target)) {
            (0, Some(Value::Object(map))) if !map.is_empty() => {
                let key = map.keys().nth(rng.below(map.len())).cloned().unwrap_or_default();
                map.remove(&key);
            }
            (1, Some(Value::Object(map))) => {
                map.insert(string(rng, words), replacement);
            }
            (_, Some(slot)) => *slot = replacement,
            (_, None) => {}
        }
    }
}

/// Counts and failures of one run.
#[derive(Default)]
struct Tally {
    tried: u64,
    decoded: u64,
    failures: Vec<String>,
}

impl Tally {
    /// Decodes `input` with `decode`; a panic, or a decoded value whose encoding does not decode,
    /// is a failure described by `what`.
    fn check(&mut self, what: &str, input: Value, decode: impl Fn(Value) -> Option<Result<Value, serde_json::Error>>) {
        self.tried += 1;
        let shown = || {
            let mut text = input.to_string();
            text.truncate(400);
            text
        };
        let encoded = match catch_unwind(AssertUnwindSafe(|| decode(input.clone()))) {
            Err(_) => return self.failures.push(format!("{what}: panicked on {}", shown())),
            Ok(None) | Ok(Some(Err(_))) => return,
            Ok(Some(Ok(encoded))) => encoded,
        };
        self.decoded += 1;
        match catch_unwind(AssertUnwindSafe(|| decode(encoded.clone()))) {
            Err(_) => self.failures.push(format!("{what}: panicked decoding its own encoding of {}", shown())),
            Ok(Some(Err(e))) => self.failures.push(format!("{what}: its encoding {encoded} of {} does not decode: {e}", shown())),
            Ok(_) => {}
        }
    }
}

#[test]
fn arbitrary_json_never_panics_in_the_models() {
    let config = FuzzConfig::from_env(SUITE_SEED);
    let seed = config.seed;
    let examples: Vec<(Decode, Vec<Case>)> = APIS
        .iter()
        .zip(MODEL_APIS)
        .map(|((spec, _), (_, decode, _))| {
            let cases = cases_from_document(&workspace_root().join("specs").join(spec)).unwrap_or_else(|e| panic!("{e}"));
            (*decode, cases)
        })
        .collect();
    let mut tally = Tally::default();
    let mut rounds = 0;
    while !config.done(rounds, SUITE_ROUNDS) {
        let mut rng = Rng::for_iteration(seed, rounds);
        for (spec, decode, models) in MODEL_APIS {
            let words: Vec<&str> = models.iter().flat_map(|(_, words)| words.iter().copied()).collect();
            for (model, own) in models.iter() {
                let input = if rng.one_in(2) && !own.is_empty() {
                    let keys: Vec<&str> = own.iter().copied().chain(words.iter().copied().take(50)).collect();
                    value(&mut rng, &keys, 4)
                } else {
                    value(&mut rng, &words, 4)
                };
                tally.check(&format!("seed {seed:#x} round {rounds}: {spec} {model}"), input, |v| decode(model, v));
            }
        }
        for ((spec, roundtrip), (_, cases)) in APIS.iter().zip(&examples) {
            for case in cases {
                let mut input = case.value.clone();
                mutate(&mut rng, &mut input, &[]);
                let what = format!("seed {seed:#x} round {rounds}: {spec} {} {}", case.operation_id, case.part);
                tally.check(&what, input, |v| roundtrip(&case.operation_id, &case.part, v));
            }
        }
        rounds += 1;
    }
    println!(
        "fuzz models: seed {seed:#x}: {rounds} rounds, {} values ({} decoded) in {:.1} s",
        tally.tried,
        tally.decoded,
        config.elapsed().as_secs_f64()
    );
    let failures = &tally.failures;
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.iter().take(20).cloned().collect::<Vec<_>>().join("\n"));
    assert!(tally.decoded > 0, "no value decoded; the fuzzer is not reaching the models");
}
