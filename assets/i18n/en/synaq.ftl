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
