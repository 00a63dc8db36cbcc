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
bank-expired = Срок действия банка истёк. Администратор филиала импортирует новый банк (вкладка «Импорт») или получает его при синхронизации (вкладка «Синхронизация»).
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
proctor-bad-minutes =
    { $most ->
        [0] К этому экзамену больше нельзя добавить время: добавленное время достигло предела. Запрошено: { $minutes } мин.
       *[other] Дополнительное время для этого экзамена — от 1 до { $most } мин.; запрошено: { $minutes } мин.
    }
staff-missing-field = Заполните все поля.
staff-weak-password = Пароль должен содержать не менее 8 символов.
staff-exists = Сотрудник с таким логином уже есть.
staff-login-failed = Неверный логин или пароль.
staff-unknown = Такого сотрудника нет.
staff-self = Нельзя отключить собственную учётную запись.
store-disk-full = Диск киоска заполнен: последнее изменение не сохранено, всё сохранённое ранее на месте. Позовите проктора.
store-db = Ошибка хранения данных. Ваши ответы сохранены. Позовите проктора.
store-assembly = В банке недостаточно вопросов, чтобы собрать экзамен по категории { $category }.
store-unknown-category = Категории { $category } нет в правилах экзамена.
store-attempt-open = На этом киоске есть незавершённый экзамен. Сначала продолжите или завершите его.
store-no-attempt = На этом киоске нет идущего экзамена.
store-not-running =
    { $state ->
        [interrupted] Экзамен прерван (киоск останавливался). Его должен возобновить проктор.
       *[other] Экзамен приостановлен. Его должен возобновить проктор.
    }
store-time-up = Время вышло: экзамен завершён.
store-finished = Экзамен завершён, его результат подписан: изменить в нём больше ничего нельзя.
store-bad-position = Вопроса № { $position } нет: в экзамене вопросов — { $total }.
store-bad-answer = Этот ответ недопустим для вопроса № { $position }.
store-bank-mismatch = Открытый экзамен начат с банком { $series } версии { $version }. Загрузите этот банк.
store-tampered = Нарушена целостность журнала. Сообщите администратору филиала.

## Kiosk screens: staff, proctor, examinee, admin
action-back = Назад
staff-entry = Вход для сотрудников
staff-role-proctor = Проктор
staff-role-admin = Администратор
staff-login-title = Вход сотрудника
staff-login-id = Логин
staff-name = ФИО
staff-password = Пароль
staff-password-repeat = Повторите пароль
staff-password-hint = Не менее 8 символов
staff-password-mismatch = Пароли не совпадают
staff-login-submit = Войти
setup-title = Первая настройка киоска
setup-kiosk = Киоск
setup-kiosk-name = Название киоска
setup-admin = Первый администратор
setup-submit = Сохранить и войти
welcome-title = Добро пожаловать на экзамен
welcome-hint = Проктор проверит вашу личность и начнёт экзамен. Ниже — категории и время.
welcome-attempt-waiting = На этом киоске есть прерванный экзамен
welcome-attempt-waiting-hint = Его должен возобновить проктор: все ответы и оставшееся время сохранены.
proctor-title = Проктор
proctor-admit-title = Допуск к экзамену
proctor-iin = ИИН экзаменуемого
proctor-iin-count = { $count }/12 цифр
proctor-roster-found = В сегодняшнем списке
proctor-attempt-number = Попытка { $attempt }
proctor-document-checked = Удостоверение личности проверено, совпадает с человеком
proctor-no-camera = Камера не найдена: эталонное фото не снимается, это записывается в журнал как инцидент.
proctor-start = Начать экзамен
proctor-running-title = Идёт экзамен
proctor-interrupted-title = Экзамен прерван
proctor-interrupted-hint = Киоск останавливался (сбой, отключение питания или сон). Время простоя не засчитано. Укажите причину и возобновите.
proctor-paused-title = Экзамен приостановлен
proctor-paused-hint = Время остановлено. Укажите причину и возобновите или завершите.
proctor-pause = Приостановить
proctor-resume = Возобновить
proctor-extend = Добавить время
proctor-extend-minutes = Дополнительные минуты
proctor-end = Завершить за нарушение
proctor-reason = Причина
proctor-reason-choose = Выберите причину
proctor-note = Комментарий
proctor-leave = Выйти из режима проктора
incident-identity-doubt = Сомнение в личности
incident-phone-or-notes = Телефон или шпаргалки
incident-talking = Разговоры
incident-left-seat = Покинул место
incident-technical-fault = Техническая неисправность
incident-health = Самочувствие
incident-other = Другое
exam-examinee = Экзаменуемый
exam-iin = ИИН
exam-category = Категория
exam-time-left = Осталось времени
exam-answered = Отвечено
exam-answered-of = Отвечено { $answered } из { $total }
exam-identity-title = Это вы?
exam-identity-hint = Если данные неверны, не нажимайте кнопку — позовите проктора.
exam-identity-confirm = Да, это я
exam-rules-title = Правила экзамена
exam-rules-questions = Вопросов: { $count }. У вопроса один или несколько верных ответов — это указано в вопросе.
exam-rules-time = Время: { $minutes } мин. Оставшееся время показано вверху экрана.
exam-rules-pass = Проходной балл: не менее { $percent } % верных ответов.
exam-rules-timeout = Когда время выйдет, экзамен завершится сам, сохранённые ответы будут оценены.
exam-rules-saved = Каждый ответ сохранён, когда появится отметка «Сохранено». Вопросы можно отметить и вернуться к ним.
exam-rules-keys = Клавиатура: 1–9 — вариант ответа, ← → — между вопросами, Enter — далее.
exam-rules-start = Начать экзамен
exam-time-warning = Осталось меньше { $minutes } { $minutes ->
        [one] минуты
       *[other] минут
    }
exam-question-of = Вопрос { $position } из { $total }
exam-kind-single = Выберите один ответ
exam-kind-multiple = Выберите все верные ответы
exam-saving = Сохранение…
exam-saved = Сохранено
exam-prev = Назад
exam-next = Далее
exam-flag = Отметить
exam-unflag = Снять отметку
exam-to-review = Проверить и сдать
exam-grid-title = Все вопросы
exam-grid-cell = Вопрос { $position }
exam-legend-answered = отвечен
exam-legend-open = без ответа
exam-legend-flagged = отмечен
exam-review-title = Проверка перед сдачей
exam-review-unanswered = Без ответа: { $count }
exam-review-flagged = Отмечено: { $count }
exam-review-none = Нет
exam-back-to-questions = Вернуться к вопросам
exam-submit = Сдать экзамен
exam-submit-confirm-title = Сдать экзамен?
exam-submit-confirm-hint = После сдачи ответы изменить нельзя.
exam-submit-confirm-unanswered = Вопросов без ответа: { $count }. Они будут засчитаны как неверные. После сдачи изменить ничего нельзя.
exam-submit-cancel = Нет, вернуться
exam-submit-yes = Да, сдать
exam-paused-title = Экзамен приостановлен
exam-paused-hint = Время остановлено, ваши ответы сохранены. Подождите, пока проктор возобновит экзамен.
exam-result-title = Результат
exam-result-time-up = Время вышло: экзамен завершился автоматически.
exam-result-violation = Экзамен завершён проктором из-за нарушения.
exam-result-correct = Верных ответов: { $correct } из { $total }
exam-result-pass = Сдано (проходной балл { $percent } %)
exam-result-fail = Не сдано (проходной балл { $percent } %)
exam-result-certificate = После передачи результата ЕУМЦ выдаст электронный сертификат; бумажную копию распечатают в этом офисе.
exam-result-retake = Пересдача возможна до { $date }.
exam-result-done = Экзамен окончен. Позовите проктора.
admin-title = Администратор
admin-tab-staff = Сотрудники
admin-tab-journal = Журнал аудита
admin-staff-title = Сотрудники
admin-role = Роль
admin-state = Состояние
admin-active = активен
admin-disabled = отключён
admin-enable = Включить
admin-disable = Отключить
admin-add-proctor = Добавить проктора
admin-add = Добавить
admin-added = Проктор { $id } добавлен
admin-journal-title = Журнал аудита
admin-journal-filter = Тип события
admin-journal-all = Все
admin-journal-kind = Событие
admin-journal-data = Данные
admin-leave = Выйти

## Accessibility
a11y-text-size = Размер текста
a11y-contrast = Высокий контраст
a11y-text-size-short = Aa

## Admin: import, export, diagnostics
admin-import-exam-open = Нельзя заменить банк, пока идёт экзамен. Сначала завершите его.
admin-file-unreadable = Файл не читается: проверьте путь и съёмный носитель.
admin-export-failed = Не удалось записать файл: проверьте папку и свободное место.
admin-tab-import = Импорт
admin-tab-diagnostics = Диагностика
admin-import-bank = Импорт банка вопросов
admin-import-roster = Импорт списка зарегистрированных
admin-import-path = Путь к файлу на съёмном носителе
admin-import-run = Проверить и импортировать
admin-import-checking = Проверка: подпись, срок, версия…
admin-import-ok-bank = Банк принят: { $name }, версия { $version }, вопросов: { $count }, действует до { $until }.
admin-import-ok-roster = Список принят: филиал { $name }, версия { $version }, записей: { $count }, действует до { $until }.
admin-export-csv = Экспорт в CSV
admin-export-dir = Папка (например, на съёмном носителе)
admin-exported = Сохранено: { $path }
admin-diag-kiosk = Ключ киоска
admin-diag-disk = Свободное место
admin-diag-disk-low = Мало места на диске: отправьте результаты и освободите диск.
admin-diag-bank = Банк
admin-diag-roster = Список
admin-diag-until = до { $date }
admin-diag-camera = Камера
admin-diag-camera-present = найдена
admin-diag-camera-absent = не найдена
admin-diag-clock-ok = в порядке
admin-diag-clock-bad = проверьте: часы отстают от журнала или вне срока банка
admin-diag-none = нет
admin-diag-mb = { $mb } МБ

## Admin: settings
admin-interval-out-of-range = Интервал съёмки — от 1 секунды до наибольшего значения, которое допускают правила экзамена.
admin-camera-unknown = Такой камеры на этом компьютере нет.
admin-tab-settings = Настройки
admin-settings-camera = Камера
admin-settings-no-camera = Без камеры
admin-settings-interval = Интервал кадров, секунд (не более { $max })
admin-settings-save = Сохранить
admin-settings-saved = Настройки сохранены.

## Proctoring
proctor-camera = Камера
incident-no-camera = нет камеры
incident-camera-no-face = лицо не видно
incident-camera-several-faces = несколько лиц
incident-camera-covered = камера закрыта или темно
incident-camera-frozen = кадр застыл
incident-camera-lost = камера отключилась

## Camera: reference photo, preview
camera-none = Камера на этом компьютере не найдена.
camera-failed = Камера не отвечает: проверьте кабель или продолжайте без фото (это записывается в журнал).
camera-busy = Камера занята идущим экзаменом.
camera-waiting = Ожидание первого кадра камеры…
camera-preview-alt = Кадр камеры (только для проктора)
camera-faces = { $count ->
    [0] В кадре нет лица
   *[other] Лиц в кадре: { $count }
}
camera-preview-show = Показать камеру
camera-preview-hide = Скрыть камеру
proctor-photo-title = Эталонное фото
proctor-photo-alt = Эталонное фото экзаменуемого
proctor-photo-hint = Попросите экзаменуемого посмотреть в камеру и сделайте фото. Оно опечатывается для ЕУМЦ вместе с экзаменом.
proctor-photo-take = Сделать фото
proctor-photo-retake = Переснять
admin-diag-camera-test = Проверить камеру
disk-low = На диске мало места: { $mb } МБ. Синхронизируйте результаты с ЕУМЦ: подтверждённые ЕУМЦ материалы камеры будут удалены с киоска.

## Admin: sync with ЕУМЦ
admin-tab-sync = Синхронизация
sync-title = Синхронизация с ЕУМЦ
sync-enroll-hint = Киоск ещё не зарегистрирован. Введите адрес центра, его отпечаток, код филиала и одноразовый код от ЕУМЦ.
sync-url = Адрес центра
sync-fingerprint = Отпечаток центра (SHA-256)
sync-branch = Код филиала
sync-code = Одноразовый код регистрации
sync-enroll = Зарегистрировать киоск
sync-offline-enroll = Без сети
sync-offline-enroll-hint = Запишите запрос на съёмный носитель, передайте его в ЕУМЦ и импортируйте полученный файл сертификата.
sync-media-dir = Папка на съёмном носителе
sync-write-request = Записать запрос
sync-request-written = Запрос записан: { $path }
sync-cert-file = Файл сертификата от ЕУМЦ
sync-import-cert = Импортировать сертификат
sync-valid-until = Сертификат киоска действует до
sync-last = Последняя синхронизация
sync-never = не было
sync-queued = Результатов ждут отправки
sync-now = Синхронизировать
sync-stage-results = Отправка результатов: { $done } из { $total }
sync-stage-evidence = Отправка материалов камеры: { $percent } %
sync-stage-pull = Получение банка, списка и сертификатов…
sync-offline = Нет связи: ЕУМЦ сейчас недоступен. Результаты остаются на киоске, ничего не потеряно; повторите позже или используйте съёмный носитель.
sync-pulled = Получено и применено: { $files }
sync-col-finished = Завершена
sync-col-state = Состояние
sync-col-evidence = Материалы камеры
sync-col-certificate = Сертификат
sync-state-queued = ждёт
sync-state-delivered = доставлен
sync-state-refused = отклонён
sync-evidence-none = нет
sync-evidence-queued = ждут
sync-evidence-delivered = доставлены, удалены здесь
sync-no-results = На этом киоске ещё нет результатов.
sync-not-enrolled = Киоск ещё не зарегистрирован в ЕУМЦ: зарегистрируйте его на вкладке «Синхронизация».
sync-bad-fingerprint = Отпечаток — 64 шестнадцатеричных символа, как в листе от ЕУМЦ.
sync-bad-url = Адрес центра должен начинаться с https://.
sync-wrong-central = Сервер по этому адресу — не тот центр ЕУМЦ, которому доверяет киоск (сертификат другой). Проверьте адрес и отпечаток; ничего не отправлено.
sync-unsigned-answer = Ответ не подписан ЕУМЦ: проверьте адрес центра; ничего не сохранено.
sync-bad-enrollment-code = ЕУМЦ отклонил код регистрации: он неверен, уже использован или для другого филиала. Запросите новый.
sync-kiosk-revoked = ЕУМЦ отозвал этот киоск: его результаты больше не принимаются. Обратитесь в ЕУМЦ.
sync-unknown-kiosk = ЕУМЦ не знает этот киоск: зарегистрируйте его заново.
sync-refused = ЕУМЦ отклонил запрос; результаты остаются в очереди. Подробности — в журнале киоска.
sync-failed = Синхронизация не удалась; результаты остаются в очереди. Повторите.
sync-bank-waits = Пришёл новый банк, но идёт экзамен: он будет применён при следующей синхронизации после экзамена.
evidence-missing = Материалы камеры одного результата отсутствуют на киоске; ЕУМЦ узнает об этом по заголовку цепочки в результате.
sync-clock = ЕУМЦ отклонил запрос: часы киоска сильно расходятся. Проверьте дату и время в диагностике.
sync-evidence-refused = ЕУМЦ не принял материалы камеры одного результата; они остаются на киоске. Подробности — в журнале киоска.
sync-requeue = Отправить снова (когда ЕУМЦ устранил причину)
cert-title = Сертификат о проверке знаний по безопасности и охране труда
cert-issued = Выдан
cert-valid-until = Действителен до
cert-no-expiry = бессрочно
cert-status = Статус
cert-status-valid = действителен
cert-status-revoked = отозван
cert-check-hint = Выдан ЕУМЦ. Подлинность проверяется по QR-коду.
cert-qr-alt = QR-код для проверки сертификата
cert-close = Закрыть
sync-no-certificate = Этого сертификата нет на киоске: сначала синхронизируйтесь с ЕУМЦ.

## ЕУМЦ refusals of a result (code from central)
refusal-already-certified = По этой попытке сертификат уже выдан.
refusal-attempt-conflict = В ЕУМЦ эта попытка уже есть с другим содержимым: сообщите в службу безопасности ЕУМЦ.
refusal-bad-signature = Результат не проверяется ключом киоска: его изменили после подписи.
refusal-bank-not-issued = Экзамен шёл по банку, который ЕУМЦ не выдавал этому киоску.
refusal-journal-head-missing = В результате нет заголовка журнала: обновите ПО киоска.
refusal-kiosk-not-enrolled = ЕУМЦ не знает этот киоск: зарегистрируйте его заново.
refusal-kiosk-revoked = ЕУМЦ отозвал этот киоск: его результаты не принимаются.
refusal-not-on-roster = Экзаменуемого нет в списке ЕУМЦ на эту категорию и дату: попросите ЕУМЦ проверить регистрацию и отправьте снова.
refusal-retake-window-closed = Пересдача позже месячного срока или после успешной сдачи: ЕУМЦ её не принимает.
refusal-score-mismatch = ЕУМЦ получил другой балл по ответам: сообщите в ЕУМЦ.
refusal-unknown-category = Такой категории нет в правилах банка.
refusal-unsupported-format = ЕУМЦ не читает этот формат результата: обновите ПО киоска.
refusal-wrong-kiosk = Результат подписан другим киоском.
sync-bad-receipt = Квитанция ЕУМЦ не совпадает с тем, что хранит киоск: ничего не удалено; выполните экспорт заново.
sync-media = Съёмный носитель не читается или не записывается: проверьте, что он подключён и не заполнен.
sync-media-title = Съёмный носитель
sync-media-hint = Без сети: запишите всё недоставленное на съёмный носитель для ЕУМЦ, затем импортируйте файл квитанций, который вернёт ЕУМЦ.
sync-export = Записать на съёмный носитель
sync-exported = Записано: { $results } { $results ->
        [one] результат
        [few] результата
        [many] результатов
       *[other] результата
    }, материалы камеры по { $evidence } { $evidence ->
        [one] экзамену
       *[other] экзаменам
    }, { $mb } МБ — { $path }
sync-nothing-to-export = Экспортировать нечего: всё доставлено.
sync-receipts-file = Файл квитанций от ЕУМЦ (.synaqin)
sync-import-receipts = Импортировать квитанции
sync-receipts-imported = Квитанции применены: доставлено { $delivered }, отклонено { $refused }, без изменений { $unchanged }; материалы камеры подтверждены по { $evidence } { $evidence ->
        [one] экзамену
       *[other] экзаменам
    }.
bank-revoked = ЕУМЦ отозвал этот банк вопросов: экзамен по нему начать нельзя. Синхронизируйтесь с ЕУМЦ или импортируйте банк на замену.
admin-from-central = список ЕУМЦ
admin-needs-password = на этом киоске ещё нет пароля
admin-set-password = Задать пароль
bank-malformed-header = Заголовок банка сформирован неверно. Обратитесь в ЕУМЦ.

## ЕУМЦ's public verification page /v/{number} (synaq-central; shown in kk and ru)
verify-page-issuer = ЕУМЦ
verify-page-title = { cert-title }
verify-page-number = Номер сертификата
verify-page-name = ФИО
verify-page-iin = ИИН
verify-page-category = Категория
verify-page-issued = Дата выдачи
verify-page-valid-until = Действителен до
verify-page-no-expiry = Бессрочно
verify-page-status = Статус
verify-page-valid = Действителен
verify-page-expired = Истёк
verify-page-revoked = Отозван
verify-page-not-found = Сертификата с таким номером нет в реестре.

## Причины, по которым ЕУМЦ задерживает доставленный результат до решения проверяющего.
refusal-certificate-still-valid = У этого человека уже есть действующий сертификат по этой категории: новый выдаётся только незадолго до окончания срока его действия.
refusal-enroll-throttled = Слишком много неверных кодов регистрации с этого адреса: подождите и уточните код в ЕУМЦ.
result-awaiting-evidence = Доставлен: ЕУМЦ выдаст сертификат, когда получит и проверит видеозапись с веб-камеры.
result-held = Доставлен и задержан ЕУМЦ для проверки: { $reasons }
hold-finish-before-start = экзамен завершён раньше, чем начат
hold-start-before-registration = экзамен начат до открытия периода регистрации
hold-start-before-bank = экзамен начат до начала действия банка вопросов
hold-finished-after-receipt = экзамен датирован позже, чем ЕУМЦ его получил (часы киоска спешат)
hold-too-old = экзамен датирован задолго до получения ЕУМЦ
hold-active-exceeds-wall = время экзамена больше, чем прошло от начала до завершения
hold-active-exceeds-limit = время экзамена превышает лимит
hold-limit-extended = лимит времени не равен лимиту профиля с добавленным по журналу временем
hold-too-fast = ответы на вопросы даны слишком быстро
hold-proctor-unknown = допустившего проктора нет в списке сотрудников этого филиала в ЕУМЦ
hold-proctor-inactive = допустивший проктор не числится действующим в ЕУМЦ
hold-incident-staff-unknown = в инциденте указан сотрудник, которого ЕУМЦ не числит действующим в этом филиале
hold-roster-other-branch = регистрация оформлена в другой филиал
hold-ended-for-violation = экзамен прекращён за нарушение
hold-no-camera = экзамен прошёл без камеры
hold-camera-flags = камера слишком часто отмечала нарушения
hold-no-reference-photo = видеозапись не начинается с контрольного фото
hold-evidence-coverage = кадры веб-камеры не покрывают время экзамена
hold-evidence-invalid = видеозапись не соответствует подписанному результату
hold-pass-before-fail = успешная сдача датирована раньше неудачной попытки
hold-too-many-fails = слишком много неудачных попыток за один день
hold-kiosk-revoked = ЕУМЦ отозвал этот киоск
hold-journal-missing = результат пришёл без журнала экзамена
hold-journal-broken = журнал экзамена не проходит проверку
hold-journal-mismatch = результат расходится с журналом экзамена
hold-answered-after-time = ответы записаны после окончания времени
hold-paper-not-drawn = билет не совпадает с вытянутым из банка
hold-chain-missing = у результата нет места в цепочке результатов киоска
hold-chain-gap = до этого результата киоска в ЕУМЦ не дошли другие
hold-chain-fork = цепочка результатов киоска раздваивается

## The paper certificate (synaq-paper): an A4 PDF, kk first, then ru; the title is cert-title
paper-holder = Фамилия, имя, отчество
paper-iin = ИИН
paper-category = Категория
paper-checked-on = Дата проверки знаний
paper-place = Место проверки
paper-issued-on = Дата выдачи
paper-valid-until = Действителен до
paper-issuer = Сертификат выдал
paper-signatory = Уполномоченное лицо ЕУМЦ
paper-signature = подпись
paper-stamp = М.П.
paper-verify = Проверка подлинности

## The certificate: copies, check code, printing, the public check (issue 14)
paper-copy = КОПИЯ
paper-check-code = Код проверки
paper-issuer-name = Единый учебно-методический центр (ЕУМЦ)
verify-page-code-hint = Чтобы увидеть имя владельца, отсканируйте QR-код или введите код проверки, напечатанный на сертификате.
verify-page-code-label = Код проверки
verify-page-code-button = Проверить
verify-page-code-wrong = Код проверки не совпадает: сверьте его с кодом на сертификате.
verify-page-qr-ok = QR-код проверен в этом браузере: он подписан ЕУМЦ.
verify-page-qr-bad = Этот QR-код недействителен: его не выдавал ЕУМЦ или он изменён. Подтвердите имя владельца кодом проверки.
verify-page-qr-unsupported = Этот браузер не может проверить подпись QR-кода: введите код проверки.
verify-page-too-many = Слишком много запросов с этого адреса. Повторите через минуту.
verify-page-unavailable = Реестр временно недоступен. Повторите позже.
print-unavailable = Служба печати (CUPS) не отвечает: перезапустите киоск или сообщите администратору. Сертификат сохранён на киоске.
print-printer-missing = Выбранного принтера нет в системе: выберите другой принтер.
print-printer-rejecting = Принтер не принимает задания: включите его или выберите другой принтер.
print-no-printer = Сначала выберите принтер для сертификатов.
print-revoked = Этот сертификат отозван: он не печатается.
print-no-pdf = PDF сертификата ещё не пришёл из ЕУМЦ: синхронизируйтесь с ЕУМЦ.
print-printer = Принтер
print-choose = Выберите принтер
print-no-printers = В системе нет принтеров: подключите принтер и обновите страницу.
print-state-idle = готов
print-state-printing = печатает
print-state-stopped = остановлен
print-original = Печать
print-copy = Напечатать копию
print-job-queued = Отправлено на принтер { $printer } (задание { $job }).
print-job-printer-stopped = Отправлено на принтер { $printer }, но принтер остановлен: проверьте бумагу и питание.
print-job-printed = Напечатано: { $printer }.
print-job-gone = Задание { $job } снято с очереди: напечатайте снова.
print-printed-times = Напечатан на этом киоске { $count ->
    [one] { $count } раз
    [few] { $count } раза
   *[other] { $count } раз
}; следующий экземпляр будет помечен «КОПИЯ».

## Exam day: the examinee and the proctor (issue 13)
hold-answered-before-start = ответы записаны до того, как экзаменуемый начал экзамен
exam-rules-clock = Время пойдёт, когда вы нажмёте «Начать экзамен», не раньше.
exam-rules-camera = Во время экзамена камера фотографирует вас. Снимки подписываются и передаются в ЕУМЦ для проверки честности экзамена.
exam-camera-no-face = Камера не видит вашего лица. Сядьте лицом к экрану.
exam-camera-several-faces = Камера видит больше одного человека. У киоска должны быть только вы.
exam-camera-covered = Камера закрыта или слишком темно. Не закрывайте камеру.
exam-questions-in-russian = У вопросов этого экзамена нет английского текста: они показаны на русском.
exam-result-date = Дата
exam-result-reregister = Для пересдачи ваша организация обучения снова регистрирует вас в ЕУМЦ.
exam-result-clearing = Экран очистится через { $seconds } с.
exam-result-close = Готово
welcome-not-ready = Киоск не готов к экзаменам
welcome-not-ready-hint = Обратитесь к сотруднику.
proctor-visit-title = Идёт экзамен: пока вы здесь, время остановлено
proctor-visit-hint = Пока открыт пульт проктора, время экзаменуемого не идёт. Оно пойдёт снова, когда вы выйдете из режима проктора.
proctor-admitted-title = Экзаменуемый ещё не начал экзамен
proctor-admitted-hint = Время пойдёт, когда экзаменуемый нажмёт «Начать экзамен».
proctor-admitted-return = Вернуть экран экзаменуемому
proctor-camera-flags = Отметки камеры
proctor-end-confirm-title = Завершить этот экзамен за нарушение?
proctor-end-confirm-person = Экзаменуемый: { $name }
proctor-end-confirm-reason = Нарушение: { $reason }
proctor-end-confirm-hint = Экзамен завершится сейчас, возобновить его будет нельзя. ЕУМЦ рассмотрит его.
proctor-end-confirm-yes = Да, завершить экзамен
proctor-end-confirm-no = Нет, вернуться
proctor-end-needs-reason = Сначала выберите нарушение.

## Branch admin (issue 13): the audit journal, removable media, enrollment by file,
## sync by person, password reset, shutdown.
journal-kind-admitted = допуск к экзамену
journal-kind-shown = показан вопрос
journal-kind-answered = ответ
journal-kind-flagged = отметка вопроса
journal-kind-paused = пауза
journal-kind-resumed = продолжение
journal-kind-extended = добавлено время
journal-kind-clock_jump = скачок часов
journal-kind-suspended = сон компьютера
journal-kind-interrupted = перерыв (сбой, перезапуск)
journal-kind-incident = инцидент
journal-kind-finished = экзамен завершён
journal-kind-printed = печать сертификата
journal-kind-setup_done = первая настройка киоска
journal-kind-staff_added = добавлен сотрудник
journal-kind-staff_disabled = сотрудник отключён
journal-kind-staff_enabled = сотрудник включён
journal-kind-password_reset = пароль сброшен
journal-kind-bank_imported = импорт банка вопросов
journal-kind-roster_imported = импорт списка
journal-kind-import_refused = файл отклонён
journal-kind-settings_saved = настройки сохранены
journal-kind-sync_started = синхронизация начата
journal-kind-sync_finished = синхронизация завершена
journal-kind-exported = запись на съёмный носитель
journal-kind-receipts_imported = квитанции ЕУМЦ приняты
journal-kind-enrolled = киоск подключён к ЕУМЦ
journal-kind-exit_allowed = киоск выключен
admin-journal-empty = Событий пока нет. Здесь появятся действия сотрудников и экзамены.
admin-journal-when = Время
admin-journal-who = Кто
admin-diag-clock-local = Часы киоска
staff-reset-proctors-only = Здесь сбрасывается только пароль проктора.
admin-shut-down-exam-open = Сейчас на киоске идёт экзамен: сначала его должен завершить проктор.
sync-bad-enrollment-file = Это не файл подключения ЕУМЦ или он повреждён: попросите в ЕУМЦ новый.
admin-reset-password = Новый пароль
admin-reset-title = Новый пароль для { $name }
admin-reset-save = Сохранить пароль
admin-reset-cancel = Отмена
admin-reset-done = Пароль сотрудника { $id } изменён. Сообщите его проктору лично.
admin-shut-down = Выключить киоск
admin-shut-down-confirm = Выключить киоск? Экзамены на нём будут недоступны, пока его не включат снова.
admin-shut-down-yes = Да, выключить
admin-shut-down-no = Отмена
drives-title = Съёмный носитель
drives-refresh = Обновить
drives-none = Съёмный носитель не найден. Вставьте его и нажмите «Обновить».
drives-no-files = На съёмном носителе «{ $label }» нет подходящих файлов.
drives-advanced = Указать путь вручную
drives-export-to = Записать на «{ $label }»
drives-open = Выбрать
drive-kind-bank = банк вопросов
drive-kind-roster = список зарегистрированных
drive-kind-receipts = квитанции ЕУМЦ
drive-kind-enrollment = файл подключения ЕУМЦ
drive-kind-enrollment-certificate = ответ ЕУМЦ на запрос подключения
drive-file-meta = { $kind } · { $date } · { $kb } КБ
sync-enroll-file-title = Подключение по файлу ЕУМЦ
sync-enroll-file-hint = ЕУМЦ выдаёт файл подключения (.synaqjoin) с адресом, отпечатком и одноразовым кодом. Вставьте съёмный носитель с ним и нажмите на файл: вводить ничего не нужно.
sync-enroll-typed = Ввести данные подключения вручную
sync-col-person = Экзаменуемый
sync-col-category = Категория
sync-col-result = Результат
sync-result-passed = сдал, { $percent }
sync-result-failed = не сдал, { $percent }
sync-search = Поиск по ФИО или ИИН
sync-search-none = Никого не найдено.
sync-person-unknown = нет в списке
setup-hint-kiosk = Укажите название киоска и первого администратора. Филиал киоск узнает при подключении к ЕУМЦ; прокторов добавит администратор.
error-kiosk-key-missing = На этом компьютере нет защищённого ключа киоска, поэтому киоск не может работать. Сообщите ИТ-специалисту филиала: нужно установить пакет synaq-kiosk-session.
error-eumc-keys-missing = На этом компьютере не установлены открытые ключи ЕУМЦ (/etc/synaq/issuer.pub, /etc/synaq/evidence.pub). Сообщите ИТ-специалисту филиала.
setup-bank-after-enrollment = Банк вопросов придёт из ЕУМЦ, когда киоск будет подключён: после этой настройки, на вкладке администратора «Синхронизация».
kiosk-too-old = На этом киоске Synaq версии { $version }, а ЕУМЦ теперь принимает экзамены только с версии { $minimum } и новее. Пока киоск не обновлён, допуск невозможен: сообщите ИТ-специалисту филиала.

## Портал ЕУМЦ (веб-страницы центра)
portal-name = Портал ЕУМЦ
portal-nav = Разделы
portal-language = Язык
portal-logout = Выйти
portal-back = Вернуться на портал
portal-nav-learners = Экзаменуемые
portal-nav-register = Записать экзаменуемых
portal-nav-oos = Обучающие организации
portal-nav-journal = Журнал
portal-nav-registry = Открытый перечень
portal-login-title = Вход
portal-login-button = Войти
portal-login-hint = Учётные записи выдаёт ЕУМЦ. Вход по ЭЦП появится позже.
portal-error-title = Что-то не так
portal-error-login = Неверный логин или пароль.
portal-error-wait = Слишком много неудачных попыток. Повторите через { $seconds } с.
portal-error-signed-out = Сеанс завершён. Войдите снова.
portal-error-form-expired = Форма устарела. Откройте страницу заново и повторите; ничего не изменено.
portal-error-forbidden = Вашей учётной записи эта страница недоступна.
portal-error-not-found = Среди ваших записей такого нет.
portal-error-invalid = Проверьте поле «{ $field }».
portal-error-weak-password = Пароль должен быть не короче { $min } символов.
portal-error-oo-unknown = Обучающей организации { $bin } нет в перечне ЕУМЦ.
portal-error-oo-not-active = Обучающая организация { $bin }: { $status }, записывать экзаменуемых нельзя. Причина: { $reason }
portal-error-rows = { $count ->
    [one] В { $count } строке ошибка
    [few] В { $count } строках ошибки
   *[other] В { $count } строках ошибки
}: никто не записан. Исправьте их и отправьте весь файл снова.
portal-error-too-large = Файл больше { $max } МБ.
portal-error-central = Сервис временно недоступен. Повторите через минуту; ничего не потеряно.
portal-field-login = Логин
portal-field-password = Пароль
portal-field-bin = БИН
portal-field-oo-name = Название организации
portal-field-reason = Причина
portal-field-status = Статус
portal-field-change = Изменить
portal-field-category = Категория
portal-field-branch = Филиал
portal-field-window = Допустимые даты
portal-field-from = С
portal-field-to = По
portal-field-learners = Экзаменуемые
portal-field-iin = ИИН
portal-field-name = ФИО
portal-field-payment = Номер платежа
portal-field-file = Файл (CSV или XLSX)
portal-field-state = Статус
portal-field-year = Год
portal-field-row = Строка
portal-field-problem = Ошибка
portal-field-time = Время
portal-field-action = Действие
portal-field-detail = Подробности
portal-oo-title = Экзаменуемые
portal-oo-learners = Записанные экзаменуемые
portal-oo-no-learners = Экзаменуемых пока нет.
portal-oo-rating = Рейтинг по результатам
portal-oo-no-results = Результатов пока нет.
portal-oo-cannot-register = Эта организация сейчас не может записывать экзаменуемых.
portal-oo-status-active = в перечне
portal-oo-status-suspended = приостановлена
portal-oo-status-excluded = исключена
portal-learner-registered = записан
portal-learner-in-review = проверяется ЕУМЦ
portal-learner-passed = сдал
portal-learner-failed = не сдал
portal-learner-rejected = результат отклонён
portal-learner-retake-until = пересдача до { $date }
portal-rating-passed = Сдали
portal-rating-failed = Не сдали
portal-rating-share = Доля не сдавших
portal-rating-flag = не сдали больше половины
portal-register-title = Запись экзаменуемых
portal-register-batch = Проверка знаний
portal-register-one = Один экзаменуемый
portal-register-upload = Из таблицы
portal-register-button = Записать
portal-upload-button = Загрузить и записать
portal-upload-hint = Столбцы: ИИН, ФИО, номер платежа. Первая строка может быть заголовком. До 5000 строк, 2 МБ.
portal-register-rows-intro = Никто не записан. Исправьте строки:
portal-register-done = { $count ->
    [one] Записан { $count } экзаменуемый.
    [few] Записаны { $count } экзаменуемых.
   *[other] Записано { $count } экзаменуемых.
}
portal-iin-ok = ИИН верный.
portal-iin-bad = Это неверный ИИН: проверьте цифры.
portal-row-iin = неверный ИИН
portal-row-name = ФИО должно состоять из букв, пробелов и дефисов
portal-row-payment = в номере платежа недопустимые символы
portal-row-duplicate = тот же ИИН, что в строке { $first }
portal-row-already-registered = уже записан на эту категорию, срок ещё не истёк
portal-sheet-not-utf8 = файл не в кодировке UTF-8: сохраните его как «CSV UTF-8» или XLSX
portal-sheet-unreadable = файл не читается как CSV или XLSX
portal-sheet-empty = в файле нет экзаменуемых
portal-sheet-too-large = файл больше { $max } МБ
portal-sheet-too-many = в файле больше { $max } строк
portal-registrar-title = Обучающие организации
portal-registrar-add = Добавить в перечень
portal-registrar-add-button = Добавить
portal-registrar-list = Перечень
portal-registrar-apply = Применить
portal-journal-title = Журнал действий на портале
portal-registry-title = Обучающие организации в перечне ЕУМЦ
portal-registry-intro = Организации из этого перечня могут записывать экзаменуемых на проверку знаний по охране труда. Исключённые — не могут.
portal-nav-review = Проверка
portal-review-title = Экзамены на проверке
portal-review-intro = Эти экзамены центр не сертифицировал, а задержал. Откройте экзамен, посмотрите доказательства и примите решение с причиной.
portal-review-empty = Проверки никто не ждёт.
portal-review-case-title = Экзамен на проверке
portal-review-result = Результат, как его подписал киоск
portal-review-timeline = Хронология (время офиса)
portal-review-started = экзамен начат
portal-review-finished = экзамен завершён
portal-review-frames = Кадры веб-камеры
portal-review-reference = контрольное фото (в начале)
portal-review-frame = часть { $segment }, кадр { $index }
portal-review-no-key = Ключа доказательств ЕУМЦ на этом сервере нет: откройте доказательства командой `synaq-central review show --key`.
portal-review-no-evidence = Записи веб-камеры ещё не пришли (или удалены после срока хранения).
portal-review-decide = Решение
portal-review-approve = Одобрить
portal-review-reject = Отклонить
portal-review-journal = Журнал проверки
portal-review-revoke = Отозвать сертификат
portal-review-revoke-button = Отозвать
portal-review-done-approve = Одобрено: сдавший получает сертификат.
portal-review-done-reject = Отклонено: сертификата не будет.
portal-review-done-revoke = Сертификат отозван; это видно на открытой странице и на киосках.
portal-field-attempt = Экзамен
portal-field-result = Результат
portal-field-reasons = Причины задержки
portal-field-kiosk = Киоск
portal-field-proctor = Проктор
portal-field-time-used = Время
portal-field-certificate = Номер сертификата
portal-field-decision = Решение
portal-review-minutes = { $used } из { $limit } мин
portal-state-held = задержан для проверки
portal-state-awaiting-evidence = ждёт записи веб-камеры
portal-state-certified = сертифицирован
portal-state-failed = не сдан
portal-state-rejected = отклонён
portal-nav-analyst = Аналитика
portal-analyst-title = Результаты и рейтинги
portal-analyst-ratings = Рейтинг обучающих организаций
portal-analyst-decisions = Решения
portal-analyst-no-decision = отмечена: решения ещё нет
portal-analyst-chart = Доля сдавших по месяцам
portal-analyst-chart-desc = Доля сдавших среди решённых экзаменов по месяцам за последние двенадцать месяцев; пунктир — проходной балл 70 %.
portal-analyst-by = Группировка
portal-analyst-by-category = Категория
portal-analyst-by-branch = Филиал
portal-analyst-by-kiosk = Киоск
portal-analyst-as-table = То же таблицей
portal-analyst-watch = Киоски под наблюдением
portal-analyst-watch-intro = Киоски, у которых за последние двенадцать месяцев не меньше десяти экзаменов и доля сдавших отличается от общей на 25 пунктов и больше, задержано больше пятой части экзаменов или средний экзамен короче трети общего среднего.
portal-analyst-watch-empty = Ни один киоск не выделяется.
portal-analyst-exams = Экзаменов
portal-analyst-pass-rate = Сдали
portal-analyst-held = Задержано
portal-analyst-median = Средний экзамен
portal-analyst-why = Почему
portal-analyst-minutes = { $minutes } мин
portal-watch-pass-rate = доля сдавших далека от других киосков
portal-watch-held = много экзаменов задержано для проверки
portal-watch-fast = экзамены намного короче, чем в других местах
portal-decision-oo-active = возвращена в перечень
portal-decision-oo-suspended = приостановлена
portal-decision-oo-excluded = исключена
portal-nav-lecturers = Лекторы
portal-nav-registry-lecturers = Перечень лекторов
portal-lecturers-title = Наши лекторы
portal-lecturers-add = Добавить лектора
portal-lecturers-add-button = Добавить
portal-lecturers-hint = У лектора должен быть действующий сертификат лектора (категория 6): ЕУМЦ находит его по ИИН и берёт из него ФИО.
portal-lecturers-none = Лекторов в списке пока нет.
portal-lecturers-remove = Убрать
portal-lecturer-valid = сертификат действует
portal-lecturer-invalid = сертификат больше не действует
portal-error-not-lecturer = У ЕУМЦ нет действующего сертификата лектора (категория 6) по этому ИИН.
portal-registry-lecturers-title = Лекторы обучающих организаций
portal-registry-lecturers-intro = Лекторы, с которыми работают обучающие организации из перечня ЕУМЦ, и их сертификаты.
portal-nav-branches = Филиалы и киоски
portal-nav-banks = Банки вопросов
portal-branches-title = Филиалы, киоски и сотрудники
portal-branches-add = Добавить филиал
portal-branches-kiosks = Киоски
portal-branches-enrolled = подключён
portal-branches-revoked = отозван
portal-branches-revoke = Отозвать
portal-branches-no-kiosks = Киоски ещё не подключены.
portal-branches-new-code = Новый код подключения
portal-branches-code-note = Одноразовый код подключения киоска филиала { $branch }, действует { $hours } ч. Он показан только сейчас:
portal-branches-staff = Сотрудники и прокторы
portal-branches-staff-save = Сохранить
portal-staff-admin = администратор филиала
portal-staff-proctor = проктор
portal-staff-active = активен
portal-staff-inactive = не активен
portal-field-branch-code = Код филиала
portal-field-branch-name = Название филиала
portal-field-staff-id = Идентификатор
portal-field-role = Роль
portal-field-bank-file = Файл банка (.synaqbank)
portal-field-series = Серия
portal-field-version = Версия
portal-field-published = Опубликован
portal-banks-title = Банки вопросов
portal-banks-publish = Опубликовать банк
portal-banks-publish-button = Опубликовать
portal-banks-hint = Банк, подписанный ключом издателя ЕУМЦ; центр проверяет подпись, прежде чем предложить его киоскам.
portal-banks-in-force = действует
portal-banks-revoke = Отозвать
portal-banks-published = Банк { $series } v{ $version } опубликован: киоски получат его при следующей синхронизации.
portal-error-bad-bank = Этот файл не является банком вопросов, подписанным ключом издателя ЕУМЦ.
portal-nav-registrations = Заявки
portal-registrations-title = Заявки на подтверждение
portal-registrations-intro = Заявки обучающих организаций ждут здесь, пока ЕУМЦ проверит оплату. Подтверждённые попадают на киоски филиала при их следующей синхронизации.
portal-registrations-select = Выбрать
portal-registrations-confirm = Подтвердить выбранные
portal-registrations-refuse = Отклонить выбранные
portal-registrations-none = Подтверждения ничто не ждёт.
portal-registrations-done = { $count ->
    [one] Обработана { $count } заявка.
    [few] Обработаны { $count } заявки.
   *[other] Обработано { $count } заявок.
}
portal-learner-awaiting-confirmation = ждёт подтверждения ЕУМЦ
