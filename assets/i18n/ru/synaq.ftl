## Synaq — русский язык (ru-KZ). Every key here must exist in kk and en too (a test checks).

app-name = Synaq
app-tagline = Проверка знаний по охране труда
loading = Загрузка…

## Language choice
language-choose = Выберите язык
language-choose-hint = Язык можно сменить в любой момент, в том числе во время экзамена.
language-kk = Қазақша
language-ru = Русский
language-en = English
language-change = Сменить язык

## Exam categories
categories-title = Категории проверки знаний
categories-subtitle = Число вопросов и время для каждой категории
category-number = Категория { $number }
category-questions = { $count } { $count ->
        [one] вопрос
        [few] вопроса
       *[many] вопросов
    }
category-time-limit = { $minutes } { $minutes ->
        [one] минута
        [few] минуты
       *[many] минут
    }
category-bank-questions = В банке: { $count } { $count ->
        [one] вопрос
        [few] вопроса
       *[many] вопросов
    }
category-pass-mark = Проходной балл: { $percent } %
category-training = Обучение: { $hours } { $hours ->
        [one] час
        [few] часа
       *[many] часов
    }

## Errors shown to people
error-title = Ошибка
error-internal = Произошла непредвиденная ошибка. Ваши ответы сохранены. Обратитесь к проктору.
error-retry = Повторить

## ИИН / БИН validation (codes from synaq-core)
id-error-wrong-length = Номер должен состоять из 12 цифр, сейчас { $count }.
id-error-not-a-digit = Символ { $position } — не цифра.
id-error-invalid-century = 7-я цифра (век и пол) — { $digit }, а должна быть от 1 до 6.
id-error-invalid-month = 3–4-я цифры (месяц) — { $month }, а должны быть от 01 до 12.
id-error-invalid-date = Даты { $date } в номере не существует.
id-error-invalid-entity-type = 5-я цифра (тип организации) — { $digit }, а должна быть 4, 5 или 6.
id-error-invalid-unit-kind = 6-я цифра (вид подразделения) — { $digit }, а должна быть от 0 до 3.
id-error-control-digit = Контрольная цифра не совпадает: возможно, одна цифра набрана неверно или переставлена.
id-error-no-control-digit = Такой номер не выдаётся: контрольную цифру вычислить нельзя.

## Question bank (codes from synaq-seal)
bank-not-a-bank = Этот файл не является банком вопросов Synaq.
bank-unsupported-version = Эта версия формата банка не поддерживается. Обновите киоск.
bank-truncated = Файл банка неполный: копирование прервалось. Скопируйте файл заново.
bank-trailing-data = В конце файла банка лишние данные. Скопируйте файл заново.
bank-wrong-issuer = Банк подписан не тем ключом ЕУМЦ, которому доверяет этот киоск.
bank-bad-signature = Подпись банка недействительна: файл изменён или повреждён.
bank-malformed = Содержимое банка сформировано неверно. Обратитесь в ЕУМЦ.
bank-not-yet-valid = Банк ещё не вступил в силу. Проверьте часы киоска.
bank-expired = Срок действия банка истёк. Импортируйте новый банк.
bank-rolled-back = Этот банк старее версии, уже использованной на этом киоске. Возврат к старому банку запрещён.
bank-not-a-recipient = Этот банк не выдан этому киоску. Попросите ЕУМЦ добавить киоск в получатели.
bank-wrong-key = Ключ киоска не открывает банк: ключ неверный или повреждён.
bank-bad-header-mac = Заголовок банка не соответствует его ключу: банк подделан.
bank-payload-corrupt = Содержимое банка повреждено. Скопируйте файл заново.
bank-payload-truncated = Содержимое банка неполное. Скопируйте файл заново.
bank-profile-mismatch = Правила экзамена в банке не совпадают с его заголовком.
bank-trust-store = Не удалось сохранить состояние доверия киоска. Проверьте диск.
bank-build = Не удалось собрать банк.
error-bank-missing = Банк вопросов не найден. Сообщите администратору филиала.
error-kiosk-keys = Ключи киоска не загрузились. Сообщите администратору филиала.
