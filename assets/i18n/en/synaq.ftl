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
bank-expired = The bank has expired. Import a newer bank.
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
proctor-bad-minutes = Extra time must be 1 to 120 minutes.
staff-missing-field = Fill in every field.
staff-weak-password = The password must have at least 8 characters.
staff-exists = A staff member with this login already exists.
staff-login-failed = Wrong login or password.
staff-unknown = No such staff member.
staff-self = You cannot disable your own account.
store-disk-full = The kiosk's disk is full: the last change was not saved; everything saved before is intact. Call the proctor.
store-db = A storage error occurred. Your answers are saved. Call the proctor.
store-assembly = The bank has too few questions to assemble an exam for this category.
store-unknown-category = This category is not in the exam rules.
store-attempt-open = An unfinished exam is open on this kiosk. Resume or finish it first.
store-no-attempt = There is no exam on this kiosk.
store-not-running = The exam is paused. A proctor must resume it.
store-time-up = Time is up: the exam has finished.
store-bad-position = There is no such question.
store-bad-answer = This answer is not valid for the question.
store-bank-mismatch = The open exam was started with another bank. Load that bank.
store-tampered = The journal's integrity is broken. Tell the branch admin.
