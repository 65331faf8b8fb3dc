//! `cargo xtask fuzz [--seconds N] [--seed S]`: the fuzz tests, longer. The generator's
//! (`generator/tests/fuzz.rs`, mutated documents through the whole pipeline) and the models'
//! (`tests/fuzz_models.rs`, arbitrary JSON into every `iot-rest` model) each run for N seconds
//! (default 60) from seed S (default: from the clock), built with optimisations and with the
//! overflow checks and debug assertions of a debug build (the `fuzz` profile). The seed is printed
//! first, so any failure can be replayed with `--seed`.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::{cargo, root, run_cmd};

const USAGE: &str = "usage: cargo xtask fuzz [--seconds N] [--seed S]";

pub fn run(args: &[String]) -> Result<(), String> {
    let mut seconds = 60u64;
    let mut seed = None;
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(USAGE)?;
        match flag.as_str() {
            "--seconds" => seconds = value.parse().map_err(|_| format!("--seconds {value}: not a number\n{USAGE}"))?,
            "--seed" => seed = Some(parse_seed(value).ok_or_else(|| format!("--seed {value}: not a number\n{USAGE}"))?),
            _ => return Err(USAGE.into()),
        }
    }
    let seed = seed.unwrap_or_else(clock_seed);
    println!("fuzz: seed {seed:#x}, {seconds} s per target (replay: cargo xtask fuzz --seconds {seconds} --seed {seed:#x})");
    let in_progress = root().join("target/fuzz-failures/in-progress");
    let _ = std::fs::remove_dir_all(&in_progress);
    let targets = [("iot-rest-codegen", "fuzz"), ("iot-rest-tests", "fuzz_models")];
    for (package, test) in targets {
        let result = run_cmd(
            cargo()
                .args(["test", "--profile", "fuzz", "-p", package, "--test", test, "--", "--nocapture"])
                .env("FUZZ_SEED", format!("{seed:#x}"))
                .env("FUZZ_SECONDS", seconds.to_string()),
        );
        if let Err(e) = result {
            // A test that dies (a stack overflow aborts) leaves the document it was checking.
            if let Ok(what) = std::fs::read_to_string(in_progress.join("what.txt")) {
                return Err(format!("{e}\nthe document being checked when it stopped ({}) is in {}", what.trim(), in_progress.display()));
            }
            return Err(format!("{e}\nreplay: cargo xtask fuzz --seconds {seconds} --seed {seed:#x}"));
        }
    }
    Ok(())
}

fn parse_seed(text: &str) -> Option<u64> {
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

fn clock_seed() -> u64 {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    // Keep the printed seed short: 48 bits.
    (nanos as u64 ^ u64::from(std::process::id()).rotate_left(32)) & 0xffff_ffff_ffff
}
