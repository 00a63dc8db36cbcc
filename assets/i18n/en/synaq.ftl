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
category-pass-mark = Pass mark: { $percent } %
category-training = Training: { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }

## Errors shown to people
error-title = Error
error-profile-invalid = The exam rules could not be loaded. Tell the branch admin.
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
