## Synaq — English, for operators. Every key here must exist in kk and ru too (a test checks).

app-name = Synaq
app-tagline = Occupational-safety knowledge check
loading = Loading…

## Language choice
language-choose = Choose a language
language-choose-hint = You can change the language at any moment, during the exam too.
language-kk = Қазақша
language-ru = Русский
language-en = English
language-change = Change language

## Exam categories
categories-title = Knowledge-check categories
categories-subtitle = Number of questions and time limit for each category
category-number = Category { $number }
category-questions = { $count ->
        [one] { $count } question
       *[other] { $count } questions
    }
category-time-limit = { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }
category-bank-questions = In the bank: { $count ->
        [one] { $count } question
       *[other] { $count } questions
    }
category-pass-mark = Pass mark: { $percent } %
category-training = Training: { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }

## Errors shown to people
error-title = Error
error-internal = Something unexpected went wrong. Your answers are saved. Ask the proctor for help.
error-retry = Try again

## ИИН / БИН validation (codes from synaq-core)
id-error-wrong-length = The number must have 12 digits; it has { $count }.
id-error-not-a-digit = Character { $position } is not a digit.
id-error-invalid-century = Digit 7 (century and sex) is { $digit }, but must be 1 to 6.
id-error-invalid-month = Digits 3–4 (month) are { $month }, but must be 01 to 12.
id-error-invalid-date = The date { $date } in the number does not exist.
id-error-invalid-entity-type = Digit 5 (type of organisation) is { $digit }, but must be 4, 5 or 6.
id-error-invalid-unit-kind = Digit 6 (kind of unit) is { $digit }, but must be 0 to 3.
id-error-control-digit = The control digit does not match: a digit may be mistyped or swapped.
id-error-no-control-digit = No such number is issued: its control digit cannot be computed.

## Question bank (codes from synaq-seal)
bank-not-a-bank = This file is not a Synaq question bank.
bank-unsupported-version = This bank format version is not supported. Update the kiosk.
bank-truncated = The bank file is incomplete: the copy was cut off. Copy it again.
bank-trailing-data = The bank file has extra data at its end. Copy it again.
bank-wrong-issuer = The bank is not signed with the ЕУМЦ key this kiosk trusts.
bank-bad-signature = The bank's signature is invalid: the file was altered or damaged.
bank-malformed = The bank's content is malformed. Contact ЕУМЦ.
bank-not-yet-valid = The bank is not valid yet. Check the kiosk clock.
bank-expired = The bank has expired. The branch admin imports a newer one (Import tab) or receives it with a sync (Sync tab).
bank-rolled-back = This bank is older than a version already used on this kiosk. Rolling back is not allowed.
bank-not-a-recipient = This bank was not issued to this kiosk. Ask ЕУМЦ to add the kiosk as a recipient.
bank-wrong-key = The kiosk key does not open the bank: the key is wrong or damaged.
bank-bad-header-mac = The bank header does not match its key: the bank was tampered with.
bank-payload-corrupt = The bank's content is damaged. Copy the file again.
bank-payload-truncated = The bank's content is incomplete. Copy the file again.
bank-profile-mismatch = The exam rules in the bank do not match its header.
bank-trust-store = The kiosk's trusted state could not be saved. Check the disk.
bank-build = The bank could not be built.
error-bank-missing = The question bank was not found. Tell the branch admin.
error-kiosk-keys = The kiosk keys could not be loaded. Tell the branch admin.

## Roles, roster, staff and the exam store
error-forbidden = You are not allowed to do this. Log in again.
error-roster-missing = The roster was not found. Tell the branch admin.
roster-not-a-roster = This file is not a Synaq roster.
roster-unsupported-version = This roster format version is not supported. Update the kiosk.
roster-truncated = The roster file is incomplete. Copy it again.
roster-wrong-issuer = The roster is not signed with the ЕУМЦ key this kiosk trusts.
roster-bad-signature = The roster's signature is invalid: the file was altered or damaged.
roster-malformed = The roster's content is malformed. Contact ЕУМЦ.
roster-not-yet-valid = The roster is not valid yet. Check the kiosk clock.
roster-expired = The roster has expired. Import a newer one.
roster-rolled-back = This roster is older than one already used on this kiosk.
roster-trust-store = The kiosk's trusted state could not be saved. Check the disk.
proctor-not-on-roster = This ИИН is not on today's roster (or not for this category). The person cannot be admitted.
proctor-document-unchecked = Check the identity document first and tick the box.
proctor-reason-required = Choose a reason from the list.
proctor-bad-minutes =
    { $most ->
        [0] No more time can be added to this exam: its extensions have reached the limit. You asked for { $minutes } min.
       *[other] Extra time for this exam must be 1 to { $most } min.; you asked for { $minutes } min.
    }
staff-missing-field = Fill in every field.
staff-weak-password = The password must have at least 8 characters.
staff-exists = A staff member with this login already exists.
staff-login-failed = Wrong login or password.
staff-unknown = No such staff member.
staff-self = You cannot disable your own account.
store-disk-full = The kiosk's disk is full: the last change was not saved; everything saved before is intact. Call the proctor.
store-db = A storage error occurred. Your answers are saved. Call the proctor.
store-assembly = The bank has too few questions to assemble an exam for category { $category }.
store-unknown-category = Category { $category } is not in the exam rules.
store-attempt-open = An unfinished exam is open on this kiosk. Resume or finish it first.
store-no-attempt = There is no exam on this kiosk.
store-not-running =
    { $state ->
        [interrupted] The exam was interrupted (the kiosk stopped). A proctor must resume it.
       *[other] The exam is paused. A proctor must resume it.
    }
store-time-up = Time is up: the exam has finished.
store-finished = The exam has finished and its result is signed: nothing in it can change any more.
store-bad-position = There is no question { $position }: the exam has { $total } questions.
store-bad-answer = This answer is not valid for question { $position }.
store-bank-mismatch = The open exam was started with bank { $series } version { $version }. Load that bank.
store-tampered = The journal's integrity is broken. Tell the branch admin.

## Kiosk screens: staff, proctor, examinee, admin
action-back = Back
staff-entry = Staff sign-in
staff-role-proctor = Proctor
staff-role-admin = Admin
staff-login-title = Staff sign-in
staff-login-id = Login
staff-name = Full name
staff-password = Password
staff-password-repeat = Repeat the password
staff-password-hint = At least 8 characters
staff-password-mismatch = The passwords differ
staff-login-submit = Sign in
setup-title = First-time kiosk setup
setup-kiosk = Kiosk
setup-kiosk-name = Kiosk name
setup-admin = First admin
setup-submit = Save and sign in
welcome-title = Welcome to the exam
welcome-hint = The proctor checks your identity and starts your exam. The categories and time limits are below.
welcome-attempt-waiting = An interrupted exam is waiting on this kiosk
welcome-attempt-waiting-hint = A proctor must resume it: every answer and the remaining time are saved.
proctor-title = Proctor
proctor-admit-title = Admit an examinee
proctor-iin = Examinee's ИИН
proctor-iin-count = { $count }/12 digits
proctor-roster-found = On today's roster
proctor-attempt-number = Attempt { $attempt }
proctor-document-checked = I checked the identity document and it matches the person
proctor-no-camera = No camera found: no reference photo is taken, and this is recorded as an incident.
proctor-start = Start the exam
proctor-running-title = Exam in progress
proctor-interrupted-title = The exam was interrupted
proctor-interrupted-hint = The kiosk stopped (crash, power loss or sleep). Downtime is not charged. Give a reason and resume.
proctor-paused-title = The exam is paused
proctor-paused-hint = The clock is stopped. Give a reason, then resume or end the exam.
proctor-pause = Pause
proctor-resume = Resume
proctor-extend = Add time
proctor-extend-minutes = Extra minutes
proctor-end = End for a violation
proctor-reason = Reason
proctor-reason-choose = Choose a reason
proctor-note = Note
proctor-leave = Leave proctor mode
incident-identity-doubt = Identity doubt
incident-phone-or-notes = Phone or notes
incident-talking = Talking
incident-left-seat = Left the seat
incident-technical-fault = Technical fault
incident-health = Health
incident-other = Other
exam-examinee = Examinee
exam-iin = ИИН
exam-category = Category
exam-time-left = Time left
exam-answered = Answered
exam-answered-of = { $answered } of { $total } answered
exam-identity-title = Is this you?
exam-identity-hint = If anything is wrong, do not press the button — call the proctor.
exam-identity-confirm = Yes, this is me
exam-rules-title = Exam rules
exam-rules-questions = { $count } questions. Each has one or several correct answers, as the question says.
exam-rules-time = Time limit: { $minutes } minutes, shown at the top of the screen.
exam-rules-pass = Pass mark: at least { $percent } % correct answers.
exam-rules-timeout = When time runs out the exam finishes by itself and the saved answers are scored.
exam-rules-saved = Each answer is saved once the “Saved” mark appears. You can flag questions and come back.
exam-rules-keys = Keyboard: 1–9 pick an option, ← → move between questions, Enter goes on.
exam-rules-start = Start the exam
exam-time-warning = Less than { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    } left
exam-question-of = Question { $position } of { $total }
exam-kind-single = Choose one answer
exam-kind-multiple = Choose every correct answer
exam-saving = Saving…
exam-saved = Saved
exam-prev = Previous
exam-next = Next
exam-flag = Flag
exam-unflag = Unflag
exam-to-review = Review and submit
exam-grid-title = All questions
exam-grid-cell = Question { $position }
exam-legend-answered = answered
exam-legend-open = unanswered
exam-legend-flagged = flagged
exam-review-title = Review before submitting
exam-review-unanswered = Unanswered: { $count }
exam-review-flagged = Flagged: { $count }
exam-review-none = None
exam-back-to-questions = Back to the questions
exam-submit = Submit the exam
exam-submit-confirm-title = Submit the exam?
exam-submit-confirm-hint = After submitting, answers cannot be changed.
exam-submit-confirm-unanswered = Unanswered questions: { $count }. They count as wrong. After submitting nothing can be changed.
exam-submit-cancel = No, go back
exam-submit-yes = Yes, submit
exam-paused-title = The exam is paused
exam-paused-hint = The clock is stopped and your answers are saved. Wait for the proctor to resume.
exam-result-title = Result
exam-result-time-up = Time is up: the exam finished by itself.
exam-result-violation = The proctor ended the exam for a violation.
exam-result-correct = Correct answers: { $correct } of { $total }
exam-result-pass = Passed (pass mark { $percent } %)
exam-result-fail = Not passed (pass mark { $percent } %)
exam-result-certificate = Once the result reaches ЕУМЦ it issues the e-certificate; this office prints the paper copy.
exam-result-retake = You may retake the exam until { $date }.
exam-result-done = The exam is over. Call the proctor.
admin-title = Admin
admin-tab-staff = Staff
admin-tab-journal = Audit journal
admin-staff-title = Staff accounts
admin-role = Role
admin-state = State
admin-active = active
admin-disabled = disabled
admin-enable = Enable
admin-disable = Disable
admin-add-proctor = Add a proctor
admin-add = Add
admin-added = Proctor { $id } added
admin-journal-title = Audit journal
admin-journal-filter = Event kind
admin-journal-all = All
admin-journal-kind = Event
admin-journal-data = Data
admin-leave = Sign out

## Accessibility
a11y-text-size = Text size
a11y-contrast = High contrast
a11y-text-size-short = Aa

## Admin: import, export, diagnostics
admin-import-exam-open = The bank cannot be replaced while an exam is open. Finish it first.
admin-file-unreadable = The file cannot be read: check the path and the removable media.
admin-export-failed = The file could not be written: check the folder and free space.
admin-tab-import = Import
admin-tab-diagnostics = Diagnostics
admin-import-bank = Import a question bank
admin-import-roster = Import a roster
admin-import-path = Path of the file on the removable media
admin-import-run = Check and import
admin-import-checking = Checking: signature, validity, version…
admin-import-ok-bank = Bank accepted: { $name } version { $version }, { $count } questions, valid until { $until }.
admin-import-ok-roster = Roster accepted: branch { $name } version { $version }, { $count } entries, valid until { $until }.
admin-export-csv = Export to CSV
admin-export-dir = Folder (e.g. on removable media)
admin-exported = Saved: { $path }
admin-diag-kiosk = Kiosk key
admin-diag-disk = Free disk
admin-diag-disk-low = Disk space is low: send the results and free some space.
admin-diag-bank = Bank
admin-diag-roster = Roster
admin-diag-until = until { $date }
admin-diag-camera = Camera
admin-diag-camera-present = found
admin-diag-camera-absent = not found
admin-diag-clock-ok = looks right
admin-diag-clock-bad = check it: behind the journal or outside the bank's validity
admin-diag-none = none
admin-diag-mb = { $mb } MB

## Admin: settings
admin-interval-out-of-range = The capture interval must be from 1 second to the most the exam rules allow.
admin-camera-unknown = There is no such camera on this computer.
admin-tab-settings = Settings
admin-settings-camera = Camera
admin-settings-no-camera = No camera
admin-settings-interval = Seconds between frames (at most { $max })
admin-settings-save = Save
admin-settings-saved = Settings saved.

## Proctoring
proctor-camera = Camera
incident-no-camera = no camera
incident-camera-no-face = no face
incident-camera-several-faces = several faces
incident-camera-covered = camera covered or dark
incident-camera-frozen = frozen picture
incident-camera-lost = camera lost

## Camera: reference photo, preview
camera-none = No camera found on this computer.
camera-failed = The camera does not answer: check its cable, or go on without a photo (this is recorded).
camera-busy = The camera is in use by the running exam.
camera-waiting = Waiting for the camera's first picture…
camera-preview-alt = Camera picture (for the proctor only)
camera-faces = { $count ->
    [0] No face in the picture
    [one] One face in the picture
   *[other] { $count } faces in the picture
}
camera-preview-show = Show the camera
camera-preview-hide = Hide the camera
proctor-photo-title = Reference photo
proctor-photo-alt = Reference photo of the examinee
proctor-photo-hint = Ask the examinee to look at the camera, then take the photo. It is sealed for ЕУМЦ with the exam.
proctor-photo-take = Take the photo
proctor-photo-retake = Take again
admin-diag-camera-test = Test the camera
disk-low = Little disk space left: { $mb } MB. Sync the results with ЕУМЦ: camera evidence ЕУМЦ has confirmed is then removed from this kiosk.

## Admin: sync with ЕУМЦ
admin-tab-sync = Sync
sync-title = Sync with ЕУМЦ
sync-enroll-hint = This kiosk is not enrolled yet. Enter the central address, its fingerprint, the branch code and the one-time code from ЕУМЦ.
sync-url = Central address
sync-fingerprint = Central fingerprint (SHA-256)
sync-branch = Branch code
sync-code = One-time enrollment code
sync-enroll = Enroll this kiosk
sync-offline-enroll = Without a network
sync-offline-enroll-hint = Write a request to removable media, take it to ЕУМЦ, then import the certificate file they give back.
sync-media-dir = Folder on the removable media
sync-write-request = Write the request
sync-request-written = Request written: { $path }
sync-cert-file = Certificate file from ЕУМЦ
sync-import-cert = Import the certificate
sync-valid-until = Kiosk certificate valid until
sync-last = Last sync
sync-never = never
sync-queued = Results waiting to be sent
sync-now = Sync now
sync-stage-results = Sending results: { $done } of { $total }
sync-stage-evidence = Sending camera evidence: { $percent } %
sync-stage-pull = Receiving the bank, roster and certificates…
sync-offline = Offline: ЕУМЦ cannot be reached now. The results stay on this kiosk and nothing is lost; try again later or use removable media.
sync-pulled = Received and in use: { $files }
sync-col-finished = Finished
sync-col-state = State
sync-col-evidence = Camera evidence
sync-col-certificate = Certificate
sync-state-queued = waiting
sync-state-delivered = delivered
sync-state-refused = refused
sync-evidence-none = none
sync-evidence-queued = waiting
sync-evidence-delivered = delivered, removed here
sync-no-results = No results on this kiosk yet.
sync-not-enrolled = This kiosk is not enrolled with ЕУМЦ yet: enroll it on the Sync tab.
sync-bad-fingerprint = The fingerprint must be 64 hexadecimal characters, as on the sheet from ЕУМЦ.
sync-bad-url = The central address must start with https://.
sync-wrong-central = The server at that address is not the ЕУМЦ central this kiosk trusts (its certificate differs). Check the address and the fingerprint; nothing was sent.
sync-unsigned-answer = The answer was not signed by ЕУМЦ: check the central address; nothing was stored.
sync-bad-enrollment-code = ЕУМЦ refused the enrollment code: it is wrong, used or for another branch. Ask ЕУМЦ for a new one.
sync-kiosk-revoked = ЕУМЦ has revoked this kiosk: its results are no longer accepted. Contact ЕУМЦ.
sync-unknown-kiosk = ЕУМЦ does not know this kiosk: enroll it again.
sync-refused = ЕУМЦ refused the request; the results stay queued. Details are in the kiosk log.
sync-failed = The sync failed; the results stay queued. Try again.
sync-bank-waits = A new bank arrived but an exam is open: it is put to use at the next sync after the exam.
evidence-missing = The camera evidence of a result is missing on this kiosk; ЕУМЦ is told by the result's evidence head.
sync-clock = ЕУМЦ refused the request because this kiosk's clock is far off: check the date and time in the diagnostics.
sync-evidence-refused = ЕУМЦ did not accept the camera evidence of a result; it stays on this kiosk. Details are in the kiosk log.
sync-requeue = Send again (after ЕУМЦ fixed the reason)
cert-title = Certificate of the knowledge check in occupational safety and health
cert-issued = Issued
cert-valid-until = Valid until
cert-no-expiry = no expiry
cert-status = Status
cert-status-valid = valid
cert-status-revoked = revoked
cert-check-hint = Issued by ЕУМЦ. Anyone can check it by scanning the QR code.
cert-qr-alt = QR code to check the certificate
cert-close = Close
sync-no-certificate = This certificate is not on the kiosk: sync with ЕУМЦ first.

## ЕУМЦ refusals of a result (code from central)
refusal-already-certified = This attempt already has a certificate.
refusal-attempt-conflict = ЕУМЦ already holds this attempt with different content: report this to ЕУМЦ security.
refusal-bad-signature = The result does not verify with this kiosk's key: it was altered after signing.
refusal-bank-not-issued = The exam used a bank ЕУМЦ did not issue to this kiosk.
refusal-journal-head-missing = The result has no journal head: the kiosk software must be updated.
refusal-kiosk-not-enrolled = ЕУМЦ does not know this kiosk: enroll it again.
refusal-kiosk-revoked = ЕУМЦ revoked this kiosk: its results are not accepted.
refusal-not-on-roster = The examinee is not on ЕУМЦ's roster for this category and date: ask ЕУМЦ to check the registration, then send again.
refusal-retake-window-closed = The retake came after the one-month window, or after a pass: ЕУМЦ does not accept it.
refusal-score-mismatch = ЕУМЦ scored the answers differently: report this to ЕУМЦ.
refusal-unknown-category = The category is not in the bank's exam rules.
refusal-unsupported-format = ЕУМЦ does not read this result format: update the kiosk software.
refusal-wrong-kiosk = The result was signed by another kiosk.
sync-bad-receipt = A receipt from ЕУМЦ does not match what this kiosk holds: nothing was deleted; export again.
sync-media = The removable media cannot be written or read: check that it is plugged in and not full.
sync-media-title = Removable media
sync-media-hint = Without a network: write everything not yet delivered to removable media for ЕУМЦ, then import the receipts file ЕУМЦ gives back.
sync-export = Write to removable media
sync-exported = Written: { $results ->
        [one] { $results } result
       *[other] { $results } results
    }, evidence of { $evidence ->
        [one] { $evidence } exam
       *[other] { $evidence } exams
    }, { $mb } MB — { $path }
sync-nothing-to-export = Nothing to export: everything is delivered.
sync-receipts-file = Receipts file from ЕУМЦ (.synaqin)
sync-import-receipts = Import the receipts
sync-receipts-imported = Receipts applied: { $delivered } delivered, { $refused } refused, { $unchanged } unchanged; evidence confirmed for { $evidence ->
        [one] { $evidence } exam
       *[other] { $evidence } exams
    }.
bank-revoked = ЕУМЦ has revoked this question bank: no exam can start with it. Sync with ЕУМЦ or import the bank that replaces it.
admin-from-central = ЕУМЦ list
admin-needs-password = no password on this kiosk yet
admin-set-password = Set a password
bank-malformed-header = The bank's header is malformed. Contact ЕУМЦ.

## ЕУМЦ's public verification page /v/{number} (synaq-central; shown in kk and ru)
verify-page-issuer = ЕУМЦ
verify-page-title = { cert-title }
verify-page-number = Certificate number
verify-page-name = Full name
verify-page-iin = IIN
verify-page-category = Category
verify-page-issued = Issued on
verify-page-valid-until = Valid until
verify-page-no-expiry = No expiry
verify-page-status = Status
verify-page-valid = Valid
verify-page-expired = Expired
verify-page-revoked = Revoked
verify-page-not-found = There is no certificate with this number in the registry.

## Central's hold reasons: a delivered result ЕУМЦ does not certify until a reviewer decides.
refusal-certificate-still-valid = This person already holds a valid certificate in this category: a new one is issued only shortly before it expires.
refusal-enroll-throttled = Too many wrong enrollment codes from this address: wait, then check the code with ЕУМЦ.
result-awaiting-evidence = Delivered: ЕУМЦ certifies it once the webcam evidence has arrived and checked.
result-held = Delivered and held for review by ЕУМЦ: { $reasons }
hold-finish-before-start = the exam finished before it started
hold-start-before-registration = the exam started before the registration window opened
hold-start-before-bank = the exam started before the question bank became valid
hold-finished-after-receipt = the exam is dated after ЕУМЦ received it (the kiosk clock is ahead)
hold-too-old = the exam is dated long before ЕУМЦ received it
hold-active-exceeds-wall = the exam time is longer than the time between its start and finish
hold-active-exceeds-limit = the exam time is beyond its limit
hold-limit-extended = the time limit is not the profile's plus the extra time the journal records
hold-too-fast = the questions were answered too fast
hold-proctor-unknown = the admitting proctor is not on ЕУМЦ's staff list of this branch
hold-proctor-inactive = the admitting proctor is not active at ЕУМЦ
hold-incident-staff-unknown = an incident names staff ЕУМЦ does not list as active at this branch
hold-roster-other-branch = the registration is for another branch
hold-ended-for-violation = the exam was ended for a violation
hold-no-camera = the exam ran without a camera
hold-camera-flags = the camera flagged the exam too often
hold-no-reference-photo = the webcam evidence does not start with a reference photo
hold-evidence-coverage = the webcam frames do not cover the exam
hold-evidence-invalid = the webcam evidence does not match the signed result
hold-pass-before-fail = the pass is dated before a failed attempt
hold-too-many-fails = too many failed attempts in one day
hold-kiosk-revoked = ЕУМЦ revoked this kiosk
hold-journal-missing = the result came without its exam journal
hold-journal-broken = the exam journal does not verify
hold-journal-mismatch = the result differs from its exam journal
hold-answered-after-time = answers were recorded after the time was up
hold-paper-not-drawn = the paper is not the one drawn from the bank
hold-chain-missing = the result has no place in the kiosk's chain of results
hold-chain-gap = earlier results of this kiosk have not reached ЕУМЦ
hold-chain-fork = the kiosk's chain of results forks

## The paper certificate (synaq-paper): an A4 PDF, kk first, then ru; the title is cert-title
paper-holder = Full name
paper-iin = ИИН
paper-category = Category
paper-checked-on = Date of the knowledge check
paper-place = Place of the check
paper-issued-on = Date of issue
paper-valid-until = Valid until
paper-issuer = Issued by
paper-signatory = Person authorised by ЕУМЦ
paper-signature = signature
paper-stamp = Place of the stamp
paper-verify = Check that it is genuine

## The certificate: copies, check code, printing, the public check (issue 14)
paper-copy = COPY
paper-check-code = Check code
paper-issuer-name = Unified Training and Methodological Centre (ЕУМЦ)
verify-page-code-hint = To see the holder's name, scan the QR code or type the check code printed on the certificate.
verify-page-code-label = Check code
verify-page-code-button = Check
verify-page-code-wrong = The check code does not match: compare it with the code on the certificate.
verify-page-qr-ok = QR code checked in this browser: it is signed by ЕУМЦ.
verify-page-qr-bad = This QR code is not valid: ЕУМЦ did not issue it, or it was changed. Confirm the holder's name with the check code.
verify-page-qr-unsupported = This browser cannot check the QR code's signature: type the check code.
verify-page-too-many = Too many requests from this address. Try again in a minute.
verify-page-unavailable = The registry is unavailable for now. Try again later.
print-unavailable = The print service (CUPS) does not answer: restart the kiosk or tell the administrator. The certificate is kept on the kiosk.
print-printer-missing = The chosen printer is not in the system any more: choose another printer.
print-printer-rejecting = The printer does not accept jobs: switch it on or choose another printer.
print-no-printer = Choose the printer for certificates first.
print-revoked = This certificate is revoked: it is not printed.
print-no-pdf = The certificate's PDF has not arrived from ЕУМЦ yet: sync with ЕУМЦ.
print-printer = Printer
print-choose = Choose a printer
print-no-printers = No printers in the system: connect a printer and refresh.
print-state-idle = ready
print-state-printing = printing
print-state-stopped = stopped
print-original = Print
print-copy = Print a copy
print-job-queued = Sent to printer { $printer } (job { $job }).
print-job-printer-stopped = Sent to printer { $printer }, but the printer is stopped: check paper and power.
print-job-printed = Printed: { $printer }.
print-job-gone = Job { $job } was removed from the queue: print again.
print-printed-times = Printed here { $count ->
    [one] once
   *[other] { $count } times
}; the next one is marked COPY.

## Exam day: the examinee and the proctor (issue 13)
hold-answered-before-start = answers were recorded before the examinee started
exam-rules-clock = The clock starts when you press “Start the exam”, not before.
exam-rules-camera = During the exam the camera takes photos of you. The frames are signed and sent to ЕУМЦ, which checks that the exam was fair.
exam-camera-no-face = The camera cannot see your face. Sit facing the screen.
exam-camera-several-faces = The camera sees more than one person. Only you may be at the kiosk.
exam-camera-covered = The camera is covered or it is too dark. Do not cover the camera.
exam-questions-in-russian = This exam's questions have no English text: they are shown in Russian.
exam-result-date = Date
exam-result-reregister = To retake the exam, your training organisation registers you with ЕУМЦ again.
exam-result-clearing = This screen clears in { $seconds } s.
exam-result-close = Done
welcome-not-ready = This kiosk is not ready for exams
welcome-not-ready-hint = Please ask a staff member for help.
proctor-visit-title = Exam in progress: the clock is stopped while you are here
proctor-visit-hint = The examinee's time does not run while the proctor console is open. It runs again when you leave proctor mode.
proctor-admitted-title = The examinee has not started yet
proctor-admitted-hint = The clock starts when the examinee presses “Start the exam”.
proctor-admitted-return = Back to the examinee's screen
proctor-camera-flags = Camera flags
proctor-end-confirm-title = End this exam for a violation?
proctor-end-confirm-person = Examinee: { $name }
proctor-end-confirm-reason = Violation: { $reason }
proctor-end-confirm-hint = The exam ends now and cannot be resumed. ЕУМЦ reviews it.
proctor-end-confirm-yes = Yes, end the exam
proctor-end-confirm-no = No, go back
proctor-end-needs-reason = Choose the violation first.

## Branch admin (issue 13): the audit journal, removable media, enrollment by file,
## sync by person, password reset, shutdown.
journal-kind-admitted = admitted to the exam
journal-kind-shown = question shown
journal-kind-answered = answer
journal-kind-flagged = question flagged
journal-kind-paused = paused
journal-kind-resumed = resumed
journal-kind-extended = time added
journal-kind-clock_jump = clock jump
journal-kind-suspended = computer asleep
journal-kind-interrupted = interrupted (crash, restart)
journal-kind-incident = incident
journal-kind-finished = exam finished
journal-kind-printed = certificate printed
journal-kind-setup_done = kiosk first set up
journal-kind-staff_added = staff member added
journal-kind-staff_disabled = staff member disabled
journal-kind-staff_enabled = staff member enabled
journal-kind-password_reset = password reset
journal-kind-bank_imported = question bank imported
journal-kind-roster_imported = roster imported
journal-kind-import_refused = file refused
journal-kind-settings_saved = settings saved
journal-kind-sync_started = sync started
journal-kind-sync_finished = sync finished
journal-kind-exported = written to removable media
journal-kind-receipts_imported = ЕУМЦ receipts applied
journal-kind-enrolled = kiosk enrolled with ЕУМЦ
journal-kind-exit_allowed = kiosk shut down
admin-journal-empty = No events yet. Staff actions and exams will appear here.
admin-journal-when = Time
admin-journal-who = Who
admin-diag-clock-local = Kiosk clock
staff-reset-proctors-only = Only a proctor's password is reset here.
admin-shut-down-exam-open = An exam is open on this kiosk: the proctor has to end it first.
sync-bad-enrollment-file = This is not an ЕУМЦ enrollment file, or it is damaged: ask ЕУМЦ for a new one.
admin-reset-password = New password
admin-reset-title = New password for { $name }
admin-reset-save = Save password
admin-reset-cancel = Cancel
admin-reset-done = The password of { $id } was changed. Tell it to the proctor in person.
admin-shut-down = Shut the kiosk down
admin-shut-down-confirm = Shut the kiosk down? No exams can run on it until it is switched on again.
admin-shut-down-yes = Yes, shut down
admin-shut-down-no = Cancel
drives-title = Removable media
drives-refresh = Refresh
drives-none = No removable media found. Insert it and press “Refresh”.
drives-no-files = No suitable files on the removable media “{ $label }”.
drives-advanced = Type a path instead
drives-export-to = Write to “{ $label }”
drives-open = Choose
drive-kind-bank = question bank
drive-kind-roster = roster
drive-kind-receipts = ЕУМЦ receipts
drive-kind-enrollment = ЕУМЦ enrollment file
drive-kind-enrollment-certificate = ЕУМЦ's answer to an enrollment request
drive-file-meta = { $kind } · { $date } · { $kb } KB
sync-enroll-file-title = Enroll with ЕУМЦ's file
sync-enroll-file-hint = ЕУМЦ gives an enrollment file (.synaqjoin) with the address, fingerprint and a one-time code. Insert the removable media with it and press the file: nothing to type.
sync-enroll-typed = Type the enrollment details instead
sync-col-person = Examinee
sync-col-category = Category
sync-col-result = Result
sync-result-passed = passed, { $percent }
sync-result-failed = failed, { $percent }
sync-search = Search by name or ИИН
sync-search-none = Nobody found.
sync-person-unknown = not on the roster
setup-hint-kiosk = Give the kiosk a name and create the first admin. The branch comes with the enrollment with ЕУМЦ; the admin then adds proctors.
error-kiosk-key-missing = This computer has no sealed kiosk key, so the kiosk cannot work. Tell the branch's IT person: the synaq-kiosk-session package must be installed.
error-eumc-keys-missing = ЕУМЦ's public keys are not installed on this computer (/etc/synaq/issuer.pub, /etc/synaq/evidence.pub). Tell the branch's IT person.
setup-bank-after-enrollment = The question bank comes from ЕУМЦ once the kiosk is enrolled: after this setup, on the admin's Sync tab.
kiosk-too-old = This kiosk runs Synaq { $version }, and ЕУМЦ now accepts exams only from version { $minimum } or newer. Nobody can be admitted until it is updated: tell the branch's IT person.

## The ЕУМЦ portal (central's web pages)
portal-name = ЕУМЦ portal
portal-nav = Sections
portal-language = Language
portal-logout = Sign out
portal-back = Back to the portal
portal-nav-learners = Examinees
portal-nav-register = Register examinees
portal-nav-oos = Training organisations
portal-nav-journal = Journal
portal-nav-registry = Public registry
portal-login-title = Sign in
portal-login-button = Sign in
portal-login-hint = Accounts are issued by ЕУМЦ. Signing in with a digital signature (ЭЦП) will come later.
portal-error-title = Something is wrong
portal-error-login = Wrong login or password.
portal-error-wait = Too many failed attempts. Try again in { $seconds } s.
portal-error-signed-out = Your session has ended. Sign in again.
portal-error-form-expired = The form has expired. Open the page again and repeat; nothing was changed.
portal-error-forbidden = Your account may not open this page.
portal-error-not-found = Nothing by that name among your records.
portal-error-invalid = Check the field “{ $field }”.
portal-error-weak-password = The password must be at least { $min } characters long.
portal-error-oo-unknown = Training organisation { $bin } is not on ЕУМЦ's list.
portal-error-oo-not-active = Training organisation { $bin } is { $status }: it cannot register examinees. Reason: { $reason }
portal-error-rows = { $count ->
    [one] One row has an error
   *[other] { $count } rows have errors
}: nobody was registered. Correct them and send the whole file again.
portal-error-too-large = The file is larger than { $max } MB.
portal-error-central = The service is temporarily unavailable. Try again in a minute; nothing was lost.
portal-field-login = Login
portal-field-password = Password
portal-field-bin = БИН
portal-field-oo-name = Organisation name
portal-field-reason = Reason
portal-field-status = Status
portal-field-change = Change
portal-field-category = Category
portal-field-branch = Branch
portal-field-window = Dates allowed
portal-field-from = From
portal-field-to = To
portal-field-learners = Examinees
portal-field-iin = ИИН
portal-field-name = Full name
portal-field-payment = Payment reference
portal-field-file = File (CSV or XLSX)
portal-field-state = Status
portal-field-year = Year
portal-field-row = Row
portal-field-problem = Problem
portal-field-time = Time
portal-field-action = Action
portal-field-detail = Details
portal-oo-title = Examinees
portal-oo-learners = Registered examinees
portal-oo-no-learners = No examinees registered yet.
portal-oo-rating = Rating by results
portal-oo-no-results = No results yet.
portal-oo-cannot-register = This organisation cannot register examinees now.
portal-oo-status-active = on the list
portal-oo-status-suspended = suspended
portal-oo-status-excluded = excluded
portal-learner-registered = registered
portal-learner-in-review = being checked by ЕУМЦ
portal-learner-passed = passed
portal-learner-failed = failed
portal-learner-rejected = result rejected
portal-learner-retake-until = retake until { $date }
portal-rating-passed = Passed
portal-rating-failed = Failed
portal-rating-share = Failed share
portal-rating-flag = more than half failed
portal-register-title = Register examinees
portal-register-batch = Knowledge check
portal-register-one = One examinee
portal-register-upload = From a spreadsheet
portal-register-button = Register
portal-upload-button = Upload and register
portal-upload-hint = Columns: ИИН, full name, payment reference. The first row may be a header. Up to 5000 rows, 2 MB.
portal-register-rows-intro = Nothing was registered. Correct these rows:
portal-register-done = { $count ->
    [one] One examinee registered.
   *[other] { $count } examinees registered.
}
portal-iin-ok = The ИИН is valid.
portal-iin-bad = This is not a valid ИИН: check the digits.
portal-row-iin = not a valid ИИН
portal-row-name = the full name must be letters, spaces and hyphens
portal-row-payment = the payment reference has characters that are not allowed
portal-row-duplicate = the same ИИН as in row { $first }
portal-row-already-registered = already registered for this category with an open date window
portal-sheet-not-utf8 = the file is not UTF-8 text: save it as “CSV UTF-8” or XLSX
portal-sheet-unreadable = the file cannot be read as CSV or XLSX
portal-sheet-empty = the file has no examinees
portal-sheet-too-large = the file is larger than { $max } MB
portal-sheet-too-many = the file has more than { $max } rows
portal-registrar-title = Training organisations
portal-registrar-add = Add to the list
portal-registrar-add-button = Add
portal-registrar-list = The list
portal-registrar-apply = Apply
portal-journal-title = Journal of portal actions
portal-registry-title = Training organisations on ЕУМЦ's list
portal-registry-intro = Organisations on this list may register examinees for the occupational-safety knowledge check. An excluded organisation cannot.
portal-nav-review = Review
portal-review-title = Exams held for review
portal-review-intro = Central held these exams instead of certifying them. Open one, look at the evidence, and decide with a reason.
portal-review-empty = Nothing is waiting for review.
portal-review-case-title = Exam under review
portal-review-result = The result as the kiosk signed it
portal-review-timeline = Timeline (office time)
portal-review-started = exam started
portal-review-finished = exam finished
portal-review-frames = Webcam frames
portal-review-reference = reference photo (at the start)
portal-review-frame = segment { $segment }, frame { $index }
portal-review-no-key = ЕУМЦ's evidence key is not on this server: open the evidence with `synaq-central review show --key`.
portal-review-no-evidence = The webcam evidence has not arrived (or was deleted after its retention period).
portal-review-decide = Decision
portal-review-approve = Approve
portal-review-reject = Reject
portal-review-journal = Review journal
portal-review-revoke = Revoke a certificate
portal-review-revoke-button = Revoke
portal-review-done-approve = Approved: a pass gets its certificate.
portal-review-done-reject = Rejected: no certificate.
portal-review-done-revoke = The certificate is revoked; the public page and the kiosks show it.
portal-field-attempt = Exam
portal-field-result = Result
portal-field-reasons = Reasons held
portal-field-kiosk = Kiosk
portal-field-proctor = Proctor
portal-field-time-used = Time used
portal-field-certificate = Certificate number
portal-field-decision = Decision
portal-review-minutes = { $used } of { $limit } min
portal-state-held = held for review
portal-state-awaiting-evidence = waiting for the webcam evidence
portal-state-certified = certified
portal-state-failed = failed
portal-state-rejected = rejected
portal-nav-analyst = Analysis
portal-analyst-title = Results and ratings
portal-analyst-ratings = Training organisations' ratings
portal-analyst-decisions = Decisions
portal-analyst-no-decision = flagged: no decision yet
portal-analyst-chart = Pass rate by month
portal-analyst-chart-desc = The share of decided exams that passed, per month over the last twelve months; the dashed line is the 70 % pass mark.
portal-analyst-by = Grouped by
portal-analyst-by-category = Category
portal-analyst-by-branch = Branch
portal-analyst-by-kiosk = Kiosk
portal-analyst-as-table = The same as a table
portal-analyst-watch = Kiosks to watch
portal-analyst-watch-intro = Kiosks with at least ten exams in the last twelve months whose pass rate is 25 points or more from all kiosks', with more than a fifth of their exams held, or whose mean exam is under a third of all kiosks'.
portal-analyst-watch-empty = No kiosk stands out.
portal-analyst-exams = Exams
portal-analyst-pass-rate = Passed
portal-analyst-held = Held
portal-analyst-median = Mean exam
portal-analyst-why = Why
portal-analyst-minutes = { $minutes } min
portal-watch-pass-rate = pass rate far from the other kiosks'
portal-watch-held = many exams held for review
portal-watch-fast = exams much shorter than elsewhere
portal-decision-oo-active = put back on the list
portal-decision-oo-suspended = suspended
portal-decision-oo-excluded = excluded
portal-nav-lecturers = Lecturers
portal-nav-registry-lecturers = Lecturers' list
portal-lecturers-title = Our lecturers
portal-lecturers-add = Add a lecturer
portal-lecturers-add-button = Add
portal-lecturers-hint = A lecturer must hold a valid lecturer's certificate (category 6): ЕУМЦ finds it by the ИИН and takes the name from it.
portal-lecturers-none = No lecturers on the list yet.
portal-lecturers-remove = Remove
portal-lecturer-valid = certificate valid
portal-lecturer-invalid = certificate no longer valid
portal-error-not-lecturer = ЕУМЦ has no valid lecturer's certificate (category 6) for this ИИН.
portal-registry-lecturers-title = Lecturers of training organisations
portal-registry-lecturers-intro = Lecturers that training organisations on ЕУМЦ's list teach with, and their certificates.
portal-nav-branches = Branches and kiosks
portal-nav-banks = Question banks
portal-branches-title = Branches, kiosks and staff
portal-branches-add = Add a branch
portal-branches-kiosks = Kiosks
portal-branches-enrolled = enrolled
portal-branches-revoked = revoked
portal-branches-revoke = Revoke
portal-branches-no-kiosks = No kiosk enrolled yet.
portal-branches-new-code = New enrollment code
portal-branches-code-note = One-time enrollment code for a kiosk of { $branch }, valid { $hours } hours. It is shown only now:
portal-branches-staff = Staff and proctors
portal-branches-staff-save = Save
portal-staff-admin = branch admin
portal-staff-proctor = proctor
portal-staff-active = active
portal-staff-inactive = inactive
portal-field-branch-code = Branch code
portal-field-branch-name = Branch name
portal-field-staff-id = Staff id
portal-field-role = Role
portal-field-bank-file = Bank file (.synaqbank)
portal-field-series = Series
portal-field-version = Version
portal-field-published = Published
portal-banks-title = Question banks
portal-banks-publish = Publish a bank
portal-banks-publish-button = Publish
portal-banks-hint = A bank signed with ЕУМЦ's issuer key; central checks its signature before it is offered to kiosks.
portal-banks-in-force = in force
portal-banks-revoke = Revoke
portal-banks-published = Bank { $series } v{ $version } is published: kiosks get it at their next sync.
portal-error-bad-bank = This file is not a question bank signed by ЕУМЦ's issuer key.
portal-nav-registrations = Registrations
portal-registrations-title = Registrations to confirm
portal-registrations-intro = Training organisations' registrations wait here until ЕУМЦ checks the payment. Confirmed, they reach the branch's kiosks at their next sync.
portal-registrations-select = Select
portal-registrations-confirm = Confirm the selected
portal-registrations-refuse = Refuse the selected
portal-registrations-none = Nothing waits for confirmation.
portal-registrations-done = { $count ->
    [one] One registration handled.
   *[other] { $count } registrations handled.
}
portal-learner-awaiting-confirmation = waiting for ЕУМЦ's confirmation
