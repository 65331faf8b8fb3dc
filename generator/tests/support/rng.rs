//! A small deterministic PRNG (SplitMix64) for seeded tests: the same seed gives the same sequence on
//! every machine, so a failure reproduces from the seed it prints.
//!
//! This file is shared: the generator's fuzz test, the `iot-rest-tests` model fuzz test and
//! `cargo xtask bench scale` include it. It depends on `std` only.
// Each includer uses a part of it.
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough for choosing test inputs.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// An independent generator for iteration `n` of a run seeded with `seed`.
    pub fn for_iteration(seed: u64, n: u64) -> Self {
        let mut mixer = Rng(seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        Rng(mixer.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// How a seeded fuzz test runs: from `FUZZ_SEED` (decimal or `0x…`; default: the test's fixed seed)
/// for `FUZZ_SECONDS` seconds (default: the test's fixed number of iterations). `cargo xtask fuzz`
/// sets both.
#[derive(Clone, Copy, Debug)]
pub struct FuzzConfig {
    pub seed: u64,
    pub budget: Option<Duration>,
    started: Instant,
}

impl FuzzConfig {
    pub fn from_env(suite_seed: u64) -> Self {
        let number = |name: &str| {
            std::env::var(name).ok().map(|v| {
                let v = v.trim();
                let parsed = match v.strip_prefix("0x") {
                    Some(hex) => u64::from_str_radix(hex, 16),
                    None => v.parse(),
                };
                parsed.unwrap_or_else(|_| panic!("{name}={v} is not a number"))
            })
        };
        FuzzConfig {
            seed: number("FUZZ_SEED").unwrap_or(suite_seed),
            budget: number("FUZZ_SECONDS").map(Duration::from_secs),
            started: Instant::now(),
        }
    }

    /// Whether iteration `n` should not run: the time is up, or (without a budget) the test's fixed
    /// number of iterations is done.
    pub fn done(&self, n: u64, suite_iterations: u64) -> bool {
        match self.budget {
            Some(budget) => self.started.elapsed() >= budget,
            None => n >= suite_iterations,
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

