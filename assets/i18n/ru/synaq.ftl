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

## Roles, roster, staff and the exam store
error-forbidden = Нет прав на это действие. Войдите снова.
error-roster-missing = Список зарегистрированных не найден. Сообщите администратору филиала.
roster-not-a-roster = Этот файл не является списком зарегистрированных Synaq.
roster-unsupported-version = Эта версия формата списка не поддерживается. Обновите киоск.
roster-truncated = Файл списка неполный. Скопируйте файл заново.
roster-wrong-issuer = Список подписан не тем ключом ЕУМЦ, которому доверяет киоск.
roster-bad-signature = Подпись списка недействительна: файл изменён или повреждён.
roster-malformed = Содержимое списка сформировано неверно. Обратитесь в ЕУМЦ.
roster-not-yet-valid = Список ещё не вступил в силу. Проверьте часы киоска.
roster-expired = Срок действия списка истёк. Импортируйте новый список.
roster-rolled-back = Этот список старее версии, уже использованной на киоске.
roster-trust-store = Не удалось сохранить состояние доверия киоска. Проверьте диск.
proctor-not-on-roster = Этого ИИН нет в сегодняшнем списке (или он не зарегистрирован на эту категорию). Допуск невозможен.
proctor-document-unchecked = Сначала проверьте удостоверение личности и отметьте это.
proctor-reason-required = Выберите причину из списка.
proctor-bad-minutes = Дополнительное время — от 1 до 120 минут.
staff-missing-field = Заполните все поля.
staff-weak-password = Пароль должен содержать не менее 8 символов.
staff-exists = Сотрудник с таким логином уже есть.
staff-login-failed = Неверный логин или пароль.
staff-unknown = Такого сотрудника нет.
staff-self = Нельзя отключить собственную учётную запись.
store-disk-full = Диск киоска заполнен: последнее изменение не сохранено, всё сохранённое ранее на месте. Позовите проктора.
store-db = Ошибка хранения данных. Ваши ответы сохранены. Позовите проктора.
store-assembly = В банке недостаточно вопросов, чтобы собрать экзамен по этой категории.
store-unknown-category = Такой категории нет в правилах экзамена.
store-attempt-open = На этом киоске есть незавершённый экзамен. Сначала продолжите или завершите его.
store-no-attempt = На этом киоске нет идущего экзамена.
store-not-running = Экзамен приостановлен. Его должен возобновить проктор.
store-time-up = Время вышло: экзамен завершён.
store-bad-position = Такого вопроса нет.
store-bad-answer = Этот ответ недопустим для вопроса.
store-bank-mismatch = Открытый экзамен начат с другим банком. Загрузите тот банк.
store-tampered = Нарушена целостность журнала. Сообщите администратору филиала.
