//! The exam clock's two time sources.
//!
//! - `monotonic`: Linux `CLOCK_BOOTTIME`, which the wall clock cannot move and which, unlike
//!   `Instant` (`CLOCK_MONOTONIC`), keeps counting during suspend — so a suspend shows up as a
//!   gap the engine can see, instead of silently vanishing.
//! - `wall_ms`: Unix time in milliseconds, for records and for detecting jumps. Never obeyed.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where the engine reads time.
pub trait Clock: Send + Sync {
    /// Time since boot, including suspend; never goes back.
    fn monotonic(&self) -> Duration;
    /// Wall-clock time, Unix milliseconds (may jump either way).
    fn wall_ms(&self) -> i64;
}

/// The machine's clocks.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn monotonic(&self) -> Duration {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let ts = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let ts = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
        Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
    }

    fn wall_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

/// A clock tests move by hand: advance time, jump the wall clock, simulate a suspend.
#[derive(Debug)]
pub struct FakeClock {
    mono_ms: AtomicU64,
    wall_ms: AtomicI64,
}

impl FakeClock {
    pub fn new(wall_ms: i64) -> FakeClock {
        FakeClock {
            mono_ms: AtomicU64::new(1_000_000),
            wall_ms: AtomicI64::new(wall_ms),
        }
    }

    /// Real time passes: both clocks move together.
    pub fn advance(&self, d: Duration) {
        self.mono_ms
            .fetch_add(d.as_millis() as u64, Ordering::SeqCst);
        self.wall_ms
            .fetch_add(d.as_millis() as i64, Ordering::SeqCst);
    }

    /// Someone sets the wall clock: only it moves.
    pub fn jump_wall(&self, delta_ms: i64) {
        self.wall_ms.fetch_add(delta_ms, Ordering::SeqCst);
    }

    /// The machine sleeps: boot time and wall time move, the process sees nothing meanwhile.
    pub fn suspend(&self, d: Duration) {
        self.advance(d);
    }
}

impl Clock for FakeClock {
    fn monotonic(&self) -> Duration {
        Duration::from_millis(self.mono_ms.load(Ordering::SeqCst))
    }

    fn wall_ms(&self) -> i64 {
        self.wall_ms.load(Ordering::SeqCst)
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn monotonic(&self) -> Duration {
        (**self).monotonic()
    }
    fn wall_ms(&self) -> i64 {
        (**self).wall_ms()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_boot_clock_moves_forward() {
        let c = SystemClock;
        let a = c.monotonic();
        std::thread::sleep(Duration::from_millis(5));
        assert!(c.monotonic() > a);
        assert!(c.wall_ms() > 1_700_000_000_000);
    }
}
