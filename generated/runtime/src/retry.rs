//! Retry decisions, pure so they are tested without a network: *classification* (is this outcome
//! of this request worth another attempt, [`classify`]) apart from *strategy* (when, and whether
//! attempts and time allow it, [`should_retry`]); `Retry-After` parsing; and the process-local
//! randomness used for jitter and request ids.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::Method;
use time::OffsetDateTime;

use crate::datetime::parse_rfc1123;
use crate::{ErrorKind, RetryOptions};

/// Whether to try a request again, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShouldRetry {
    /// Give up: return this outcome to the caller.
    No,
    /// Wait this long, then send the request again.
    After(Duration),
}

/// What one attempt produced, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A response with this status; `retry_after` from its headers.
    Status { status: u16, retry_after: Option<Duration> },
    /// No usable response: the error's kind says how far the attempt got.
    Failed(ErrorKind),
}

/// Whether an outcome is worth another attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Final: return it.
    Final,
    /// Transient: another attempt may succeed (after `retry_after`, if the service said).
    Transient { retry_after: Option<Duration> },
}

/// Statuses worth retrying: the service says "not now", not "no".
pub(crate) fn is_transient(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// Methods whose repetition has the effect of one request, so a request that may have been
/// delivered can be sent again.
fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE)
}

/// Classifies `outcome` of a `method` request:
/// - a transient status is retried whatever the method (the service answered: it did not act);
/// - a connection failure (`NotSent`: nothing was delivered) is retried whatever the method;
/// - a failure after the request may have been delivered (`Io`: timeout, reset) is retried only
///   for idempotent methods: a `POST` or `PATCH` may have been applied;
/// - everything else is final: other statuses, and failures another attempt cannot fix (an invalid
///   or oversized response, a body over the limit, a refused redirect or a loop).
pub(crate) fn classify(method: &Method, outcome: Outcome) -> Verdict {
    match outcome {
        Outcome::Status { status, retry_after } if is_transient(status) => Verdict::Transient { retry_after },
        Outcome::Failed(ErrorKind::NotSent) => Verdict::Transient { retry_after: None },
        Outcome::Failed(ErrorKind::Io) if is_idempotent(method) => Verdict::Transient { retry_after: None },
        _ => Verdict::Final,
    }
}

/// The strategy: after `attempts` attempts (1 after the first) that took `elapsed` so far, a
/// transient outcome is retried after its `Retry-After` or a backoff, while attempts remain and the
/// next attempt can start before `max_total`. `jitter` is a number in `[0, 1)` spreading computed
/// delays over ±20 %.
pub(crate) fn should_retry(
    verdict: Verdict,
    attempts: u32,
    elapsed: Duration,
    options: &RetryOptions,
    jitter: f64,
) -> ShouldRetry {
    let Verdict::Transient { retry_after } = verdict else {
        return ShouldRetry::No;
    };
    if attempts >= options.max_attempts {
        return ShouldRetry::No;
    }
    let delay = retry_after.unwrap_or_else(|| backoff(attempts, options, jitter));
    if elapsed.saturating_add(delay) >= options.max_total {
        return ShouldRetry::No;
    }
    ShouldRetry::After(delay)
}

/// Exponential backoff: `initial * 2^(attempts-1)`, capped at `max_delay`, ±20 % jitter.
fn backoff(attempts: u32, options: &RetryOptions, jitter: f64) -> Duration {
    let exponent = attempts.saturating_sub(1).min(30);
    let base = options.initial_delay.saturating_mul(1 << exponent).min(options.max_delay);
    let factor = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    base.mul_f64(factor).min(options.max_delay)
}

/// The delay a response asks for: `retry-after-ms`, `x-ms-retry-after-ms`, then
/// `Retry-After` in seconds or as an HTTP date (relative to `now`).
pub(crate) fn parse_retry_after(headers: &HeaderMap, now: OffsetDateTime) -> Option<Duration> {
    for name in ["retry-after-ms", "x-ms-retry-after-ms"] {
        if let Some(ms) = header_str(headers, name).and_then(|v| v.parse::<f64>().ok()) {
            if ms.is_finite() && ms >= 0.0 {
                return Some(Duration::from_secs_f64((ms / 1000.0).min(MAX_RETRY_AFTER)));
            }
        }
    }
    let value = header_str(headers, "retry-after")?;
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(MAX_RETRY_AFTER)));
    }
    let at = parse_rfc1123(value)?;
    let wait = (at - now).max(time::Duration::ZERO);
    Some(Duration::from_secs_f64(wait.as_seconds_f64().min(MAX_RETRY_AFTER)))
}

/// Caps absurd `Retry-After` values (one day) so arithmetic never overflows.
const MAX_RETRY_AFTER: f64 = 86_400.0;

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    Some(headers.get(name)?.to_str().ok()?.trim())
}

/// A fresh pseudo-random number: SplitMix64 over a per-thread state seeded from std's random hash
/// keys (not for secrets: request ids and jitter only).
pub(crate) fn random_u64() -> u64 {
    thread_local! {
        static STATE: Cell<u64> = Cell::new(seed());
    }
    STATE.with(|state| {
        let next = state.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        state.set(next);
        let mut z = next;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    })
}

fn seed() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// A random number in `[0, 1)`.
pub(crate) fn jitter() -> f64 {
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use time::macros::datetime;

    fn status(status: u16, retry_after: Option<Duration>) -> Outcome {
        Outcome::Status { status, retry_after }
    }

    fn transient(retry_after: Option<Duration>) -> Verdict {
        Verdict::Transient { retry_after }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn classification_by_outcome_and_method() {
        use ErrorKind::*;
        let (get, put, delete, post, patch) = (Method::GET, Method::PUT, Method::DELETE, Method::POST, Method::PATCH);
        let secs = |s| Some(Duration::from_secs(s));
        // (method, outcome, verdict)
        let table = [
            (&get, status(503, secs(7)), transient(secs(7))),
            (&post, status(503, None), transient(None)),
            (&patch, status(429, secs(1)), transient(secs(1))),
            (&post, status(408, None), transient(None)),
            (&get, status(500, None), transient(None)),
            (&get, status(502, None), transient(None)),
            (&get, status(504, None), transient(None)),
            (&get, status(200, None), Verdict::Final),
            (&get, status(404, secs(1)), Verdict::Final),
            (&put, status(409, None), Verdict::Final),
            (&get, status(412, None), Verdict::Final),
            (&get, status(501, None), Verdict::Final),
            // Nothing delivered: safe to send again whatever the method.
            (&post, Outcome::Failed(NotSent), transient(None)),
            (&patch, Outcome::Failed(NotSent), transient(None)),
            // Maybe delivered: only idempotent methods are sent again.
            (&get, Outcome::Failed(Io), transient(None)),
            (&put, Outcome::Failed(Io), transient(None)),
            (&delete, Outcome::Failed(Io), transient(None)),
            (&Method::HEAD, Outcome::Failed(Io), transient(None)),
            (&post, Outcome::Failed(Io), Verdict::Final),
            (&patch, Outcome::Failed(Io), Verdict::Final),
            // Permanent: another attempt gets the same.
            (&get, Outcome::Failed(InvalidResponse), Verdict::Final),
            (&get, Outcome::Failed(Redirect), Verdict::Final),
            (&get, Outcome::Failed(BodyTooLarge), Verdict::Final),
            (&get, Outcome::Failed(NotBuilt), Verdict::Final),
            (&get, Outcome::Failed(Credential), Verdict::Final),
        ];
        for (method, outcome, verdict) in table {
            assert_eq!(classify(method, outcome), verdict, "{method} {outcome:?}");
        }
    }

    #[test]
    fn retry_after_wins_over_backoff() {
        let options = RetryOptions::default();
        let decision = should_retry(transient(Some(Duration::from_secs(7))), 1, Duration::ZERO, &options, 0.9);
        assert_eq!(decision, ShouldRetry::After(Duration::from_secs(7)));
        assert_eq!(should_retry(Verdict::Final, 1, Duration::ZERO, &options, 0.5), ShouldRetry::No);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let options = RetryOptions::default()
            .initial_delay(Duration::from_secs(1))
            .max_delay(Duration::from_secs(5))
            .max_attempts(10)
            .max_total(Duration::from_secs(1000));
        let at = |attempts, jitter| match should_retry(transient(None), attempts, Duration::ZERO, &options, jitter) {
            ShouldRetry::After(d) => d,
            ShouldRetry::No => panic!("expected a retry"),
        };
        assert_eq!(at(1, 0.5), Duration::from_secs(1));
        assert_eq!(at(2, 0.5), Duration::from_secs(2));
        assert_eq!(at(3, 0.0), Duration::from_millis(3200));
        assert_eq!(at(3, 0.999_999), Duration::from_secs(4).mul_f64(0.8 + 0.4 * 0.999_999));
        assert_eq!(at(9, 0.5), Duration::from_secs(5));
        assert_eq!(at(9, 0.999), Duration::from_secs(5));
    }

    #[test]
    fn attempts_and_total_time_are_bounded() {
        let options = RetryOptions::default().max_attempts(3).max_total(Duration::from_secs(10));
        assert_eq!(should_retry(transient(None), 3, Duration::ZERO, &options, 0.5), ShouldRetry::No);
        let late = should_retry(transient(Some(Duration::from_secs(5))), 1, Duration::from_secs(6), &options, 0.5);
        assert_eq!(late, ShouldRetry::No);
        let no_time_left =
            should_retry(transient(Some(Duration::from_secs(4))), 1, Duration::from_secs(6), &options, 0.5);
        assert_eq!(no_time_left, ShouldRetry::No, "the next attempt would start with no time left");
        assert_eq!(should_retry(transient(None), 1, Duration::ZERO, &RetryOptions::none(), 0.5), ShouldRetry::No);
    }

    #[test]
    fn parses_retry_after_forms() {
        let now = datetime!(2017-10-12 19:23:40 UTC);
        assert_eq!(parse_retry_after(&headers(&[("retry-after", "3")]), now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(&headers(&[("retry-after", " 0 ")]), now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after", "Thu, 12 Oct 2017 19:23:50 GMT")]), now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after", "Thu, 12 Oct 2017 19:00:00 GMT")]), now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after", "9"), ("retry-after-ms", "250")]), now),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            parse_retry_after(&headers(&[("x-ms-retry-after-ms", "1500")]), now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(parse_retry_after(&headers(&[("retry-after", "-1")]), now), None);
        assert_eq!(parse_retry_after(&headers(&[("retry-after", "1e300")]), now), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn randomness_varies_and_stays_in_range() {
        let values: Vec<f64> = (0..100).map(|_| jitter()).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        assert!(values.windows(2).any(|w| w[0] != w[1]));
    }
}
