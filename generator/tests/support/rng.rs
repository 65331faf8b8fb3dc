//! A small deterministic PRNG (SplitMix64) for seeded tests: the same seed gives the same sequence on
//! every machine, so a failure reproduces from the seed it prints.
//!
//! This file is shared: the generator's fuzz test, the `iot-rest-tests` model fuzz test and
//! `cargo xtask bench scale` include it. It depends on `std` only.

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

/// A seed from the clock, for runs that should explore new inputs each time (printed by the caller).
pub fn clock_seed() -> u64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    Rng::new(nanos as u64 ^ u64::from(std::process::id())).next_u64()
}
