//! Webcam proctoring on the kiosk: the reference photo at admission, the proctor's live
//! preview, the capture pipeline during the exam, and the sealed evidence on disk.
//!
//! Evidence of an attempt lives in `evidence/<attempt>/<n>/`, one segment per camera run: the
//! per-exam key dies with the process, so a restart mid-exam opens segment `n + 1`. The heads
//! of all segments (in order) belong to the attempt: the engine stores them after every frame,
//! takes them back after a restart, and signs them into the result (`docs/formats/evidence.md`).

use std::time::{Duration, Instant};

use synaq_proctor::{
    CameraError, Capture, ChainHead, CheckConfig, Checker, EvidenceWriter, Frame, FrameSource,
    Opener, ProctorConfig, ProctorEvent,
};

use super::*;

/// Below this much free space the admin and the proctor see a warning.
pub const DISK_LOW_MB: u64 = 500;
/// A preview nobody asked for in this long releases the camera.
const PREVIEW_IDLE: Duration = Duration::from_secs(5);
/// Width of the pictures sent to the window.
const PREVIEW_WIDTH: u32 = 320;
/// Frames per second of the preview outside an exam.
const PREVIEW_INTERVAL: Duration = Duration::from_millis(400);

/// The camera held open for previews outside an exam (its own capture thread: nokhwa's camera
/// cannot move between threads), the newest frame, and when a preview was last asked for.
pub(super) struct Preview {
    capture: Capture,
    newest: Option<Frame>,
    used: Instant,
}

/// The camera and evidence state of the kiosk.
#[derive(Default)]
pub(super) struct CameraState {
    /// Capture, checks and sealing of the open attempt.
    pub proctor: Option<synaq_proctor::Proctor>,
    /// Incident codes the camera raised during the open attempt, with the kiosk's wall clock
    /// (Unix ms) when each was journalled.
    pub flags: Vec<(String, i64)>,
    /// The reference photo taken for the examinee about to be admitted.
    pub reference: Option<(Frame, usize)>,
    /// The camera held open for the preview outside an exam.
    pub preview: Option<Preview>,
    /// Free disk space found by the last check (MB), and when it was checked.
    pub free_mb: Option<(u64, Instant)>,
    /// `fixture:DIR:PREFIX` to replay fixture frames instead of a camera (`SYNAQ_CAMERA`).
    pub fixture: Option<String>,
    /// Below this many free MB the staff screens warn.
    pub disk_low_mb: u64,
}

impl CameraState {
    /// From the environment: `SYNAQ_CAMERA`, `SYNAQ_DISK_LOW_MB`.
    pub fn from_env() -> CameraState {
        CameraState {
            fixture: std::env::var("SYNAQ_CAMERA").ok(),
            disk_low_mb: std::env::var("SYNAQ_DISK_LOW_MB")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(DISK_LOW_MB),
            ..CameraState::default()
        }
    }
}

fn camera_code(e: &CameraError) -> Code {
    eprintln!("synaq-kiosk: camera: {e}");
    Code::from(match e {
        CameraError::NoCamera => Refusal::CameraNone,
        _ => Refusal::CameraFailed,
    })
}

fn picture(frame: &Frame, faces: usize) -> R<CameraPicture> {
    let jpeg = frame.preview_jpeg(PREVIEW_WIDTH).map_err(|e| {
        eprintln!("synaq-kiosk: preview: {e}");
        Code::from(Refusal::CameraFailed)
    })?;
    Ok(CameraPicture {
        jpeg: format!("data:image/jpeg;base64,{}", B64.encode(jpeg)),
        faces: faces as u32,
    })
}

fn faces_in(frame: &Frame) -> usize {
    Checker::new(CheckConfig::default())
        .check(frame)
        .map(|o| o.faces.len())
        .unwrap_or(0)
}

impl Station {
    /// Video devices of this machine (`/dev/video*`).
    pub(super) fn cameras() -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir("/dev")
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with("video"))
                    .map(|n| format!("/dev/{n}"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// The configured frame source: the fixture named by `SYNAQ_CAMERA=fixture:DIR:PREFIX`
    /// (tests, demo), else the camera chosen in the settings; `None` when there is none.
    fn camera_opener(&mut self) -> R<Option<Opener>> {
        if let Some(spec) = &self.camera.fixture {
            if let Some(rest) = spec.strip_prefix("fixture:") {
                let (dir, prefix) = rest.rsplit_once(':').unwrap_or((rest, ""));
                let (dir, prefix) = (PathBuf::from(dir), prefix.to_owned());
                return Ok(Some(Box::new(move || {
                    synaq_proctor::FixtureSource::open(&dir, &prefix)
                        .map(|s| Box::new(s) as Box<dyn FrameSource>)
                })));
            }
        }
        let device = self
            .engine()?
            .settings()
            .get("camera_device")?
            .or_else(|| Self::cameras().into_iter().next())
            .unwrap_or_default();
        Ok(device
            .strip_prefix("/dev/video")
            .and_then(|n| n.parse::<u32>().ok())
            .map(|index| -> Opener { Box::new(move || synaq_proctor::open_camera(index)) }))
    }

    /// The newest frame from the camera held open for previews (opened on first use; the
    /// first frame is waited for, at most a few seconds).
    fn grab_frame(&mut self) -> R<Frame> {
        if self.camera.preview.is_none() {
            let open = self
                .camera_opener()?
                .ok_or(Code::from(Refusal::CameraNone))?;
            self.camera.preview = Some(Preview {
                capture: Capture::spawn(open, PREVIEW_INTERVAL),
                newest: None,
                used: Instant::now(),
            });
        }
        let p = self.camera.preview.as_mut().expect("opened above");
        p.used = Instant::now();
        let got = match p.newest {
            None => p.capture.recv_timeout(Duration::from_secs(5)),
            Some(_) => p.capture.try_latest(),
        };
        match got {
            Some(Ok(f)) => p.newest = Some(f),
            Some(Err(e)) => {
                self.camera.preview = None;
                return Err(camera_code(&e));
            }
            None if p.newest.is_none() => {
                self.camera.preview = None;
                return err(Refusal::CameraFailed);
            }
            None => {}
        }
        Ok(p.newest.clone().expect("a frame is there"))
    }

    /// Proctor, at admission: takes the reference photo of the examinee about to start. It is
    /// shown to the proctor and sealed as the first frame of the attempt's evidence.
    pub fn reference_photo(&mut self, token: &str) -> R<CameraPicture> {
        self.require_proctor(token)?;
        if self.camera.proctor.is_some() {
            return err(Refusal::CameraBusy);
        }
        let frame = self.grab_frame()?;
        let faces = faces_in(&frame);
        let pic = picture(&frame, faces)?;
        self.camera.reference = Some((frame, faces));
        Ok(pic)
    }

    /// Proctor or admin: the camera's newest picture. During an exam it is the frame the checks
    /// saw last (the camera stays with the exam); otherwise the camera is opened for the preview
    /// and released when nobody has asked for a while.
    pub fn camera_preview(&mut self, token: &str) -> R<CameraPicture> {
        if !matches!(self.role(token), Some(Role::Proctor(_) | Role::Admin(_))) {
            return err(Refusal::Forbidden);
        }
        if let Some(p) = &self.camera.proctor {
            let frame = p.latest_frame().ok_or(Code::from(Refusal::CameraWaiting))?;
            return picture(&frame, faces_in(&frame));
        }
        let frame = self.grab_frame()?;
        picture(&frame, faces_in(&frame))
    }

    /// The open attempt's segment heads as the engine keeps them (the last one is the running
    /// segment's).
    fn stored_heads(&mut self) -> R<Vec<ChainHead>> {
        Ok(self
            .engine()?
            .evidence_heads()
            .iter()
            .filter_map(|h| h.parse().ok())
            .collect())
    }

    /// Hands the heads to the engine, which stores them with the attempt (after every frame).
    fn record_heads(&mut self, heads: &[ChainHead]) {
        let Ok(engine) = &mut self.engine else { return };
        if let Err(e) = engine.record_evidence_heads(heads) {
            eprintln!("synaq-kiosk: evidence head: {}", e.code());
        }
    }

    /// The running segment's head moved on (a frame was sealed, or the segment closed).
    fn record_last_head(&mut self, head: ChainHead) {
        let Ok(mut heads) = self.stored_heads() else {
            return;
        };
        if let Some(last) = heads.last_mut() {
            *last = head;
            self.record_heads(&heads);
        }
    }

    /// Opens the next evidence segment of `attempt`: earlier segments are cut back to their
    /// recorded heads (a frame sealed just before a crash never reached the store), a segment
    /// with no recorded head is removed, then a new writer starts.
    fn new_segment(&mut self, attempt: &str) -> Option<EvidenceWriter> {
        let key = self
            .keys
            .evidence()
            .map_err(|e| eprintln!("synaq-kiosk: evidence key: {}", e.code))
            .ok()?;
        let root = self.dir.join("evidence").join(attempt);
        let mut heads = self.stored_heads().ok()?;
        for (i, h) in heads.iter().enumerate() {
            if let Err(e) =
                synaq_proctor::truncate_segment(&root.join((i + 1).to_string()), h.frames)
            {
                eprintln!("synaq-kiosk: evidence: {e}");
            }
        }
        let next = root.join((heads.len() + 1).to_string());
        if next.exists() {
            // Started, but not one head reached the store: nothing in it is in a result.
            let _ = std::fs::remove_dir_all(&next);
        }
        let writer = EvidenceWriter::new(&next, attempt, &key)
            .map_err(|e| eprintln!("synaq-kiosk: evidence: {e}"))
            .ok()?;
        heads.push(writer.head());
        self.record_heads(&heads);
        Some(writer)
    }

    /// Starts webcam proctoring for the open attempt: at admission (with the reference photo
    /// as the first sealed frame) and again when a proctor resumes after a restart. Without a
    /// camera the journal says so; the proctor decides.
    pub(super) fn start_proctoring(&mut self, proctor: &str, attempt: &str) -> R<()> {
        self.stop_proctoring();
        self.camera.preview = None;
        let reference = self.camera.reference.take();
        let interval = self
            .engine()?
            .settings()
            .get("capture_interval_secs")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(synaq_core::profile::DEFAULT_CAPTURE_INTERVAL_SECS);
        let Some(opener) = self.camera_opener()? else {
            self.engine()?.incident(
                proctor,
                synaq_core::Incident::NoCamera.code(),
                "reference photo not taken: no camera",
            )?;
            let at = self.engine()?.wall_ms();
            self.camera
                .flags
                .push((synaq_core::Incident::NoCamera.code().into(), at));
            return Ok(());
        };
        let mut writer = self.new_segment(attempt);
        match (&reference, writer.as_mut()) {
            (Some((frame, faces)), Some(w)) => {
                let hash = w.append(frame).map_err(|e| {
                    eprintln!("synaq-kiosk: evidence: {e}");
                    Code::from(Refusal::CameraFailed)
                })?;
                self.record_last_head(w.head());
                self.engine()?.incident(
                    proctor,
                    "reference-photo",
                    &format!("frame={hash} faces={faces}"),
                )?;
            }
            (Some((frame, faces)), None) => {
                self.engine()?.incident(
                    proctor,
                    "reference-photo",
                    &format!("frame={} faces={faces} not sealed", frame.hash()),
                )?;
            }
            (None, _) if self.stored_heads()?.len() <= 1 => {
                self.engine()?.incident(
                    proctor,
                    "no-reference-photo",
                    "admitted without a photo",
                )?;
            }
            _ => {}
        }
        self.camera.proctor = Some(synaq_proctor::Proctor::spawn(
            opener,
            ProctorConfig::from_profile_secs(interval),
            writer,
        ));
        Ok(())
    }

    pub(super) fn stop_proctoring(&mut self) {
        if let Some(p) = self.camera.proctor.take() {
            drop(p.finish());
        }
    }

    /// Stops the camera and records the evidence chain's final head for the signed result.
    pub(super) fn seal_evidence(&mut self) {
        self.drain_camera();
        let writer = self.camera.proctor.take().and_then(|p| p.finish());
        if let Some(w) = writer {
            self.record_last_head(w.head());
        }
    }

    /// Journals the camera's flags at once and keeps the evidence head current.
    pub(super) fn drain_camera(&mut self) {
        let events = self
            .camera
            .proctor
            .as_ref()
            .map(|p| p.try_events())
            .unwrap_or_default();
        let mut newest = None;
        for event in events {
            match event {
                ProctorEvent::Flag(flag) => {
                    let kind = synaq_proctor::incident_kind(&flag);
                    let note = synaq_proctor::incident_note(&flag);
                    let Ok(engine) = &mut self.engine else { return };
                    if let Err(err) = engine.incident("camera", kind, &note) {
                        eprintln!("synaq-kiosk: journalling {kind}: {}", err.code());
                    }
                    let at = engine.wall_ms();
                    self.camera.flags.push((kind.to_owned(), at));
                }
                ProctorEvent::Frame {
                    evidence: Some(head),
                    ..
                } => newest = Some(head),
                _ => {}
            }
        }
        if let Some(head) = newest {
            self.record_last_head(head);
        }
    }

    /// Releases a preview camera nobody looks at; checks the free disk space now and then.
    pub(super) fn camera_tick(&mut self) {
        if self
            .camera
            .preview
            .as_ref()
            .is_some_and(|p| p.used.elapsed() > PREVIEW_IDLE)
        {
            self.camera.preview = None;
        }
        let stale = self
            .camera
            .free_mb
            .is_none_or(|(_, at)| at.elapsed() > Duration::from_secs(10));
        if stale {
            self.camera.free_mb = Some((self.free_disk_mb(), Instant::now()));
        }
    }

    /// Free space where the kiosk keeps its data, in MB.
    pub(super) fn free_disk_mb(&self) -> u64 {
        rustix::fs::statvfs(&self.dir)
            .map(|s| s.f_bavail.saturating_mul(s.f_frsize) / (1024 * 1024))
            .unwrap_or(0)
    }

    /// Free MB when below the warning level, else `None`.
    pub(super) fn disk_low(&self) -> Option<u64> {
        let free = self
            .camera
            .free_mb
            .map_or_else(|| self.free_disk_mb(), |(mb, _)| mb);
        (free < self.camera.disk_low_mb).then_some(free)
    }

    /// Replays fixture frames (`fixture:DIR:PREFIX`) instead of the camera; `None`: the camera.
    pub fn use_fixture_camera(&mut self, spec: Option<String>) {
        self.camera.fixture = spec;
    }

    /// Sets the free-space level below which staff are warned.
    pub fn set_disk_warning_mb(&mut self, mb: u64) {
        self.camera.disk_low_mb = mb;
        self.camera.free_mb = None;
    }
}
