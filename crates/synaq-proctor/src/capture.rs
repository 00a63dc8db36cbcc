//! The capture thread and the proctoring pipeline.
//!
//! ```text
//! capture thread ──(one-slot: a newer frame replaces a stale one)──► check thread ──► events
//!   source.next_frame() every interval          decode, shrink, checks, seal evidence
//! ```
//!
//! Nothing here blocks the caller: the exam reads events with [`Proctor::try_events`].

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::checks::{CheckConfig, Checker, Flag, FlagKind, Observation};
use crate::evidence::{ChainHead, EvidenceWriter};
use crate::frame::{Frame, FrameHash};
use crate::source::{CameraError, FrameSource};

/// Opens (and, after a loss, re-opens) the camera on the capture thread.
pub type Opener = Box<dyn FnMut() -> Result<Box<dyn FrameSource>, CameraError> + Send>;

/// The default interval between frames: the exam profile's `capture_interval_secs` default.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// The one-slot mailbox between the capture thread and its reader. A newer frame replaces a
/// stale one (counted as dropped); an error is kept until read, so a lost camera is never
/// hidden by the frames that come after it.
#[derive(Debug, Default)]
struct Slot {
    state: Mutex<SlotState>,
    ready: Condvar,
}

#[derive(Debug, Default)]
struct SlotState {
    frame: Option<Frame>,
    error: Option<CameraError>,
    dropped: u64,
    closed: bool,
}

impl Slot {
    fn put(&self, got: Captured) {
        let mut g = self.state.lock().expect("slot lock");
        match got {
            Ok(f) => {
                if g.frame.replace(f).is_some() {
                    g.dropped += 1;
                }
            }
            Err(e) => {
                // A frame older than the failure is stale: reading it after the error would
                // look like the camera came back.
                if g.frame.take().is_some() {
                    g.dropped += 1;
                }
                // The first error of an outage is the one worth reporting.
                if g.error.is_none() {
                    g.error = Some(e);
                }
            }
        }
        self.ready.notify_all();
    }

    fn close(&self) {
        self.state.lock().expect("slot lock").closed = true;
        self.ready.notify_all();
    }

    /// Waits up to `d` for a capture; `Err(())` once closed and empty.
    fn take_timeout(&self, d: Duration) -> Result<Option<Captured>, ()> {
        let deadline = Instant::now() + d;
        let mut g = self.state.lock().expect("slot lock");
        loop {
            if let Some(e) = g.error.take() {
                return Ok(Some(Err(e)));
            }
            if let Some(f) = g.frame.take() {
                return Ok(Some(Ok(f)));
            }
            if g.closed {
                return Err(());
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            g = self
                .ready
                .wait_timeout(g, deadline - now)
                .expect("slot lock")
                .0;
        }
    }
}

/// A stop signal a sleeping thread wakes up for.
#[derive(Debug, Default)]
struct Stop {
    stopped: Mutex<bool>,
    cv: Condvar,
}

impl Stop {
    fn stop(&self) {
        *self.stopped.lock().expect("stop lock") = true;
        self.cv.notify_all();
    }

    /// Sleeps for `d` unless stopped first; returns whether stopped.
    fn sleep(&self, d: Duration) -> bool {
        let g = self.stopped.lock().expect("stop lock");
        let (g, _) = self
            .cv
            .wait_timeout_while(g, d, |s| !*s)
            .expect("stop lock");
        *g
    }
}

/// What the capture thread delivers: a frame, or why there was none this time.
pub type Captured = Result<Frame, CameraError>;

/// A thread that takes a frame every `interval` and keeps only the newest one.
#[derive(Debug)]
pub struct Capture {
    slot: Arc<Slot>,
    stop: Arc<Stop>,
    thread: Option<JoinHandle<()>>,
}

impl Capture {
    /// Starts capturing. `open` runs on the capture thread (nokhwa's camera is not `Send`);
    /// after an error the source is dropped and `open` is tried again at the next tick, so a
    /// camera that comes back is picked up.
    pub fn spawn(mut open: Opener, interval: Duration) -> Capture {
        let slot = Arc::new(Slot::default());
        let stop = Arc::new(Stop::default());
        let (s, st) = (slot.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("synaq-capture".into())
            .spawn(move || {
                let mut source: Option<Box<dyn FrameSource>> = None;
                loop {
                    let tick = Instant::now();
                    let got = match source.as_mut() {
                        Some(src) => src.next_frame(),
                        None => open().and_then(|mut src| {
                            let f = src.next_frame();
                            source = Some(src);
                            f
                        }),
                    };
                    if got.is_err() {
                        source = None;
                    }
                    s.put(got);
                    if st.sleep(interval.saturating_sub(tick.elapsed())) {
                        break;
                    }
                }
                s.close();
            })
            .expect("the capture thread starts");
        Capture {
            slot,
            stop,
            thread: Some(thread),
        }
    }

    /// The newest capture, if one is waiting. Never blocks.
    pub fn try_latest(&self) -> Option<Captured> {
        self.slot.take_timeout(Duration::ZERO).ok().flatten()
    }

    /// Waits up to `d` for a capture; `None` on time-out or after [`Capture::stop`].
    pub fn recv_timeout(&self, d: Duration) -> Option<Captured> {
        self.slot.take_timeout(d).ok().flatten()
    }

    /// Frames replaced before anyone took them (the reader was slower than the camera).
    pub fn dropped(&self) -> u64 {
        self.slot.state.lock().expect("slot lock").dropped
    }

    /// Stops the thread and waits for it (at most one `next_frame` call).
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    fn is_closed(&self) -> bool {
        self.slot.state.lock().expect("slot lock").closed
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Settings of a proctoring run.
#[derive(Debug, Clone, PartialEq)]
pub struct ProctorConfig {
    /// Time between frames (the profile's `capture_interval_secs`).
    pub interval: Duration,
    /// Check thresholds.
    pub checks: CheckConfig,
}

impl ProctorConfig {
    /// The defaults with the profile's capture interval in seconds (at least 1).
    pub fn from_profile_secs(capture_interval_secs: u32) -> ProctorConfig {
        ProctorConfig {
            interval: Duration::from_secs(u64::from(capture_interval_secs.max(1))),
            checks: CheckConfig::default(),
        }
    }
}

impl Default for ProctorConfig {
    fn default() -> ProctorConfig {
        ProctorConfig {
            interval: DEFAULT_INTERVAL,
            checks: CheckConfig::default(),
        }
    }
}

/// What the pipeline reports to the app.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ProctorEvent {
    /// A frame was checked (and sealed into the evidence, when there is a writer).
    Frame {
        /// SHA-256 of the frame.
        hash: FrameHash,
        /// Faces found.
        faces: usize,
        /// The evidence chain after this frame, if it was sealed.
        evidence: Option<ChainHead>,
    },
    /// A condition began: journal it (`incident_kind`, `incident_note`) and show the badge.
    /// Raised when a condition starts, not again on every frame while it lasts.
    Flag(Flag),
    /// A frame could not be decoded or sealed (the exam goes on; tell the admin).
    Error(String),
}

/// The whole pipeline: capture thread, check thread, events.
#[derive(Debug)]
pub struct Proctor {
    capture: Arc<Mutex<Option<Capture>>>,
    latest: Arc<Mutex<Option<Frame>>>,
    events: Receiver<ProctorEvent>,
    worker: Option<JoinHandle<Option<EvidenceWriter>>>,
}

fn kind_key(k: &FlagKind) -> u8 {
    match k {
        FlagKind::NoFace => 0,
        FlagKind::SeveralFaces { .. } => 1,
        FlagKind::Covered => 2,
        FlagKind::Frozen { .. } => 3,
        FlagKind::Lost => 4,
    }
}

/// Forwards only the flags whose condition was not already present in the previous capture.
#[derive(Debug, Default)]
struct Edges {
    active: Vec<u8>,
}

impl Edges {
    fn update(&mut self, flags: &[Flag], tx: &Sender<ProctorEvent>) {
        let now: Vec<u8> = flags.iter().map(|f| kind_key(&f.kind)).collect();
        for f in flags {
            if !self.active.contains(&kind_key(&f.kind)) {
                let _ = tx.send(ProctorEvent::Flag(*f));
            }
        }
        self.active = now;
    }
}

fn handle(
    got: Captured,
    checker: &mut Checker,
    evidence: &mut Option<EvidenceWriter>,
    edges: &mut Edges,
    tx: &Sender<ProctorEvent>,
    latest: &Mutex<Option<Frame>>,
) {
    let frame = match got {
        Ok(f) => f,
        Err(e) => {
            let flag = checker.camera_lost();
            edges.update(&[flag], tx);
            let _ = tx.send(ProctorEvent::Error(e.to_string()));
            return;
        }
    };
    let sealed = evidence
        .as_mut()
        .map(|w| w.append(&frame).map(|_| w.head()));
    let head = match sealed {
        Some(Ok(h)) => Some(h),
        Some(Err(e)) => {
            let _ = tx.send(ProctorEvent::Error(e.to_string()));
            None
        }
        None => None,
    };
    let checked = checker.check(&frame);
    let hash = frame.hash();
    // Kept before the event is sent, so whoever sees the event can see the frame.
    *latest.lock().expect("latest frame lock") = Some(frame);
    match checked {
        Ok(Observation { flags, faces, .. }) => {
            let _ = tx.send(ProctorEvent::Frame {
                hash,
                faces: faces.len(),
                evidence: head,
            });
            edges.update(&flags, tx);
        }
        Err(e) => {
            let _ = tx.send(ProctorEvent::Error(e.to_string()));
        }
    }
}

impl Proctor {
    /// Starts capturing, checking and (with a writer) sealing evidence.
    pub fn spawn(open: Opener, config: ProctorConfig, evidence: Option<EvidenceWriter>) -> Proctor {
        let capture = Arc::new(Mutex::new(Some(Capture::spawn(open, config.interval))));
        let (tx, rx) = mpsc::channel();
        let cap = capture.clone();
        let latest = Arc::new(Mutex::new(None));
        let newest = Arc::clone(&latest);
        let checks = config.checks.clone();
        let worker = std::thread::Builder::new()
            .name("synaq-proctor".into())
            .spawn(move || {
                let mut checker = Checker::new(checks);
                let mut evidence = evidence;
                let mut edges = Edges::default();
                loop {
                    let got = {
                        let g = cap.lock().expect("capture lock");
                        match g.as_ref() {
                            Some(c) if !c.is_closed() => c.recv_timeout(Duration::from_millis(50)),
                            _ => {
                                // Stopped: drain the last capture, then finish.
                                let last = g.as_ref().and_then(Capture::try_latest);
                                drop(g);
                                if let Some(got) = last {
                                    handle(
                                        got,
                                        &mut checker,
                                        &mut evidence,
                                        &mut edges,
                                        &tx,
                                        &newest,
                                    );
                                }
                                break;
                            }
                        }
                    };
                    if let Some(got) = got {
                        handle(got, &mut checker, &mut evidence, &mut edges, &tx, &newest);
                    }
                }
                evidence
            })
            .expect("the proctor thread starts");
        Proctor {
            capture,
            latest,
            events: rx,
            worker: Some(worker),
        }
    }

    /// Events so far. Never blocks.
    pub fn try_events(&self) -> Vec<ProctorEvent> {
        self.events.try_iter().collect()
    }

    /// The newest frame the checks looked at (for the proctor's live preview only).
    pub fn latest_frame(&self) -> Option<Frame> {
        self.latest.lock().expect("latest frame lock").clone()
    }

    /// Waits up to `d` for the next event.
    pub fn recv_timeout(&self, d: Duration) -> Option<ProctorEvent> {
        self.events.recv_timeout(d).ok()
    }

    /// Stops both threads; returns the evidence writer (its `head()` goes into the result).
    pub fn finish(mut self) -> Option<EvidenceWriter> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Option<EvidenceWriter> {
        // Halted in place (not taken out), so the worker still drains the last capture.
        if let Some(c) = self.capture.lock().expect("capture lock").as_mut() {
            c.halt();
        }
        self.worker.take().and_then(|w| w.join().ok()).flatten()
    }
}

impl Drop for Proctor {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}
