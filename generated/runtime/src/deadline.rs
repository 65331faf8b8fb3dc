//! Attempt timeouts: one timer per client (a watchdog task) instead of one per attempt.
//!
//! A tokio timer per attempt is two turns of the runtime's one timer lock (registering it,
//! dropping it), which every worker thread also takes to park; with 16 requests in flight on two
//! threads that was 2% of the client's throughput. Here an attempt that has to wait writes its
//! deadline and waker into a slot of a shard picked by its thread (so threads seldom share a
//! lock), and one watchdog task per client sleeps until the earliest deadline, wakes the attempts
//! whose deadline passed, and sleeps again. An attempt ends when it is polled after a sweep
//! reached its deadline, whoever woke it: a body that trickles in forever ends at its deadline too.
//!
//! The watchdog runs on the runtime of the attempt that started it. If that runtime shuts down
//! first, the watchdog wakes every attempt still waiting, and the first one polled starts a new
//! watchdog on its own runtime. A client that is dropped ends its watchdog.

use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// Shards of waiting attempts: more than worker threads usually are, so each has its own.
const SHARDS: usize = 8;

/// No wake is planned yet.
const NEVER: u64 = u64::MAX;

/// The deadlines of one client's attempts, and the watchdog that keeps them.
pub(crate) struct Deadlines {
    shared: Arc<Shared>,
}

struct Shared {
    /// Deadlines are kept as nanoseconds since this instant.
    base: Instant,
    /// How far ahead the client's deadlines are at most (its attempt timeout): with nothing
    /// waiting, the watchdog plans to wake that far ahead, so that an attempt starting later
    /// (whose deadline is later still) has no need to tell it.
    horizon: Duration,
    shards: [Line<Mutex<Shard>>; SHARDS],
    /// When the watchdog wakes next (nanoseconds since `base`); [`NEVER`] until it first plans.
    wake_at: AtomicU64,
    /// The time of the watchdog's last sweep (nanoseconds since `base`), set before it wakes the
    /// attempts whose deadline passed: an attempt's deadline has passed when this reached it, so
    /// a waiting attempt reads no clock.
    swept: AtomicU64,
    /// Whether a watchdog task is alive.
    running: AtomicBool,
    /// Tells the watchdog to look again (an earlier deadline, or the client dropped).
    notify: Arc<Notify>,
}

/// A value on cache lines of its own: threads locking their own shards would otherwise take
/// each other's lines (128 bytes: two lines are fetched together on common CPUs).
#[derive(Default)]
#[repr(align(128))]
struct Line<T>(T);

/// The waiting attempts of one shard: a deadline and a waker per slot.
#[derive(Default)]
struct Shard {
    slots: Vec<Option<(u64, Waker)>>,
    free: Vec<usize>,
}

impl Deadlines {
    /// Deadlines at most `horizon` ahead (earlier ones are kept too, at the cost of telling the
    /// watchdog).
    pub(crate) fn new(horizon: Duration) -> Self {
        Deadlines {
            shared: Arc::new(Shared {
                base: Instant::now(),
                // A day at most: the watchdog wakes at least that often, however long the timeout.
                horizon: horizon.min(Duration::from_secs(86_400)),
                shards: Default::default(),
                wake_at: AtomicU64::new(NEVER),
                swept: AtomicU64::new(0),
                running: AtomicBool::new(false),
                notify: Arc::new(Notify::new()),
            }),
        }
    }

    /// A place to wait until `deadline`, for the futures of one attempt in turn.
    pub(crate) fn waiting(&self, deadline: Instant) -> Waiting<'_> {
        Waiting { shared: &self.shared, nanos: self.shared.nanos(deadline), at: None }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // The watchdog keeps a weak reference (a strong one only while it sweeps): told to look
        // again, it finds the client gone and ends.
        self.notify.notify_one();
    }
}

impl Shared {
    fn nanos(&self, at: Instant) -> u64 {
        let nanos = at.saturating_duration_since(self.base).as_nanos();
        u64::try_from(nanos).unwrap_or(NEVER - 1)
    }

    fn shard(&self, index: usize) -> MutexGuard<'_, Shard> {
        // A panic while a shard is locked leaves it consistent: every change is one assignment.
        self.shards[index].0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts a watchdog on the current runtime unless one is alive.
    fn ensure_watchdog(self: &Arc<Self>) {
        if self.running.load(SeqCst) || self.running.swap(true, SeqCst) {
            return;
        }
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn(watchdog(Arc::downgrade(self), self.notify.clone()))),
            // Not on a runtime (reqwest needs one, so this is not polled by reqwest): the next
            // attempt that waits tries again.
            Err(_) => self.running.store(false, SeqCst),
        }
    }

    /// Records a sweep at `now` (so the attempts whose deadline it reached end when next polled)
    /// and wakes them; the earliest deadline after `now`, if any.
    fn sweep(&self, now: u64) -> u64 {
        self.swept.fetch_max(now, SeqCst);
        self.wake_until(now)
    }

    /// Wakes the attempts whose deadline is at or before `now` ([`NEVER`]: all of them); the
    /// earliest deadline after it, if any. Wakers stay: an attempt woken is woken again by a
    /// later sweep until it ends.
    fn wake_until(&self, now: u64) -> u64 {
        let mut earliest = NEVER;
        for index in 0..SHARDS {
            for &(deadline, ref waker) in self.shard(index).slots.iter().flatten() {
                if deadline <= now {
                    waker.wake_by_ref();
                } else {
                    earliest = earliest.min(deadline);
                }
            }
        }
        earliest
    }
}

/// The watchdog: sleeps until the earliest deadline (or until told to look again), wakes the
/// attempts whose deadline passed, and plans the next wake.
async fn watchdog(shared: Weak<Shared>, notify: Arc<Notify>) {
    // Dropped when the task ends, also when its runtime shuts down first.
    struct Alive(Weak<Shared>);
    impl Drop for Alive {
        fn drop(&mut self) {
            if let Some(shared) = self.0.upgrade() {
                shared.running.store(false, SeqCst);
                // Every attempt still waiting, deadline passed or not, without a sweep: the first
                // one polled starts another watchdog.
                shared.wake_until(NEVER);
            }
        }
    }
    let _alive = Alive(shared.clone());
    loop {
        let wake_at = {
            let Some(shared) = shared.upgrade() else { return };
            let now = Instant::now();
            let mut next = shared.sweep(shared.nanos(now)).min(shared.nanos(now + shared.horizon));
            // Published before looking again: an attempt that starts waiting meanwhile either sees
            // this plan (and tells the watchdog if its deadline is earlier) or is seen here.
            loop {
                shared.wake_at.store(next, SeqCst);
                let again = shared.sweep(shared.nanos(Instant::now()));
                if again >= next {
                    break;
                }
                next = again;
            }
            shared.base + Duration::from_nanos(next)
        };
        let mut notified = pin!(notify.notified());
        let mut sleep = pin!(tokio::time::sleep_until(wake_at.into()));
        poll_fn(|cx| match (notified.as_mut().poll(cx), sleep.as_mut().poll(cx)) {
            (Poll::Pending, Poll::Pending) => Poll::Pending,
            _ => Poll::Ready(()),
        })
        .await;
    }
}

/// An attempt's place among the waiting ones, taken the first time it waits and given back when
/// it ends.
pub(crate) struct Waiting<'a> {
    shared: &'a Arc<Shared>,
    /// The deadline in nanoseconds since `shared.base`: compared with the clock as the watchdog
    /// compares it.
    nanos: u64,
    /// Shard, slot and the waker stored there.
    at: Option<(usize, usize, Waker)>,
}

impl<'a> Waiting<'a> {
    /// Runs `future` until it ends or the deadline passes (`None`).
    ///
    /// The caller pins the future where it is (its own state): this future is two references,
    /// so awaiting it copies nothing of the future it runs.
    pub(crate) fn run<'s, F: Future>(
        &'s mut self,
        mut future: Pin<&'s mut F>,
    ) -> impl Future<Output = Option<F::Output>> + use<'a, 's, F> {
        poll_fn(move |cx| {
            if let Poll::Ready(output) = future.as_mut().poll(cx) {
                return Poll::Ready(Some(output));
            }
            if self.shared.swept.load(SeqCst) >= self.nanos {
                return Poll::Ready(None);
            }
            self.watch(cx.waker());
            Poll::Pending
        })
    }

    /// Keeps `waker` to be woken at the deadline: in a slot taken the first time, and replaced
    /// there when the attempt is polled with another one.
    fn watch(&mut self, waker: &Waker) {
        match &mut self.at {
            Some((_, _, stored)) if stored.will_wake(waker) => {}
            Some((shard, slot, stored)) => {
                *stored = waker.clone();
                if let Some(Some((_, kept))) = self.shared.shard(*shard).slots.get_mut(*slot) {
                    *kept = waker.clone();
                }
            }
            None => {
                let index = shard_of_this_thread();
                let mut shard = self.shared.shard(index);
                let entry = Some((self.nanos, waker.clone()));
                let slot = match shard.free.pop() {
                    Some(slot) => {
                        shard.slots[slot] = entry;
                        slot
                    }
                    None => {
                        shard.slots.push(entry);
                        shard.slots.len() - 1
                    }
                };
                drop(shard);
                self.at = Some((index, slot, waker.clone()));
                if self.nanos < self.shared.wake_at.load(SeqCst) {
                    self.shared.wake_at.fetch_min(self.nanos, SeqCst);
                    self.shared.notify.notify_one();
                }
            }
        }
        // Also after a watchdog ended with its runtime: the first attempt polled starts another.
        self.shared.ensure_watchdog();
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if let Some((shard, slot, _)) = self.at.take() {
            let mut shard = self.shared.shard(shard);
            if let Some(entry) = shard.slots.get_mut(slot) {
                *entry = None;
                shard.free.push(slot);
            }
        }
    }
}

/// This thread's shard: threads take them in turn, the first time they need one.
fn shard_of_this_thread() -> usize {
    use std::cell::Cell;
    use std::sync::atomic::AtomicUsize;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SHARD: Cell<Option<usize>> = const { Cell::new(None) };
    }
    SHARD.with(|shard| match shard.get() {
        Some(index) => index,
        None => {
            let index = NEXT.fetch_add(1, SeqCst) % SHARDS;
            shard.set(Some(index));
            index
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::pending;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
    }

    /// Runs `future` on `rt`, failing the test after 5 s (a broken watchdog never ends an attempt).
    fn bounded<F: Future>(rt: &tokio::runtime::Runtime, future: F) -> F::Output {
        rt.block_on(async { tokio::time::timeout(Duration::from_secs(5), future).await.expect("ended within 5 s") })
    }

    fn slots(deadlines: &Deadlines) -> usize {
        (0..SHARDS).map(|i| deadlines.shared.shard(i).slots.len()).sum()
    }

    #[test]
    fn an_attempt_that_waits_forever_ends_at_its_deadline() {
        let deadlines = Deadlines::new(Duration::from_secs(60));
        let started = Instant::now();
        let ended = bounded(&runtime(), deadlines.waiting(started + Duration::from_millis(150)).run(pin!(pending::<()>())));
        assert_eq!(ended, None);
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(150) && took < Duration::from_secs(2), "{took:?}");
    }

    #[test]
    fn an_earlier_deadline_than_the_watchdog_planned_for_is_kept() {
        let deadlines = Arc::new(Deadlines::new(Duration::from_secs(60)));
        let rt = runtime();
        let far = deadlines.clone();
        // Waits with a far deadline: the watchdog plans to wake then.
        let far_away = Instant::now() + Duration::from_secs(60);
        let waiting_far = rt.spawn(async move { far.waiting(far_away).run(pin!(pending::<()>())).await });
        std::thread::sleep(Duration::from_millis(50));
        let started = Instant::now();
        let near = bounded(&rt, deadlines.waiting(started + Duration::from_millis(100)).run(pin!(pending::<()>())));
        assert_eq!(near, None);
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        waiting_far.abort();
    }

    #[test]
    fn a_future_that_ends_first_is_its_result_and_its_slot_is_used_again() {
        let deadlines = Deadlines::new(Duration::from_secs(60));
        let rt = runtime();
        for i in 0..1000 {
            // Pending once: the attempt waits, so it takes a slot.
            let yielded = async {
                tokio::task::yield_now().await;
                i
            };
            let out = rt.block_on(deadlines.waiting(Instant::now() + Duration::from_secs(60)).run(pin!(yielded)));
            assert_eq!(out, Some(i));
        }
        assert!(slots(&deadlines) <= 2, "{} slots for one attempt at a time", slots(&deadlines));
    }

    #[test]
    fn attempts_outlive_the_runtime_their_watchdog_ran_on() {
        let deadlines = Arc::new(Deadlines::new(Duration::from_secs(60)));
        // The watchdog starts on runtime `first`...
        let first = runtime();
        let d = deadlines.clone();
        first.block_on(async move {
            let yielded = pin!(tokio::task::yield_now());
            d.waiting(Instant::now() + Duration::from_secs(60)).run(yielded).await
        });
        assert!(deadlines.shared.running.load(SeqCst));
        // ... an attempt on runtime `second` waits ...
        let second = runtime();
        let started = Instant::now();
        let d = deadlines.clone();
        let waiting =
            second.spawn(async move { d.waiting(started + Duration::from_millis(300)).run(pin!(pending::<()>())).await });
        std::thread::sleep(Duration::from_millis(50));
        // ... and `first` shuts down before its deadline: a watchdog on `second` takes over.
        drop(first);
        assert_eq!(bounded(&second, waiting).unwrap(), None);
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    }

    #[test]
    fn a_dropped_client_ends_its_watchdog() {
        let rt = runtime();
        let deadlines = Deadlines::new(Duration::from_secs(60));
        rt.block_on(deadlines.waiting(Instant::now() + Duration::from_secs(60)).run(pin!(tokio::task::yield_now())));
        assert_eq!(rt.metrics().num_alive_tasks(), 1, "the watchdog");
        // Time to settle into waiting.
        std::thread::sleep(Duration::from_millis(50));
        drop(deadlines);
        let started = Instant::now();
        while rt.metrics().num_alive_tasks() > 0 {
            assert!(started.elapsed() < Duration::from_secs(2), "the watchdog did not end");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
