## Synaq — қазақ тілі (kk-KZ). Every key here must exist in ru and en too (a test checks).

app-name = Synaq
app-tagline = Еңбекті қорғау бойынша білімді тексеру
loading = Жүктелуде…

## Language choice
language-choose = Тілді таңдаңыз
language-choose-hint = Тілді емтихан кезінде кез келген уақытта ауыстыруға болады.
language-kk = Қазақша
language-ru = Русский
language-en = English
language-change = Тілді ауыстыру

## Exam categories
categories-title = Білімді тексеру санаттары
categories-subtitle = Әр санаттың сұрақтар саны және уақыт шегі
category-number = { $number }-санат
category-questions = { $count } сұрақ
category-time-limit = { $minutes } минут
category-bank-questions = Банкте: { $count } сұрақ
category-pass-mark = Өту шегі: { $percent } %
category-training = Оқыту: { $hours } сағат

## Errors shown to people
error-title = Қате
error-internal = Күтпеген қате болды. Жауаптарыңыз сақталған. Проктордан көмек сұраңыз.
error-retry = Қайталау

## ИИН / БИН validation (codes from synaq-core)
id-error-wrong-length = Нөмір 12 цифрдан тұруы керек, қазір { $count }.
id-error-not-a-digit = { $position }-таңба цифр емес.
id-error-invalid-century = 7-цифр (ғасыр мен жыныс) { $digit }, ал 1-ден 6-ға дейін болуы керек.
id-error-invalid-month = 3–4-цифрлар (ай) { $month }, ал 01-ден 12-ге дейін болуы керек.
id-error-invalid-date = Нөмірдегі { $date } күні болмайды.
id-error-invalid-entity-type = 5-цифр (ұйым түрі) { $digit }, ал 4, 5 немесе 6 болуы керек.
id-error-invalid-unit-kind = 6-цифр (бөлімше түрі) { $digit }, ал 0-ден 3-ке дейін болуы керек.
id-error-control-digit = Бақылау цифры сәйкес келмейді: бір цифр қате терілген немесе орны ауысқан болуы мүмкін.
id-error-no-control-digit = Мұндай нөмір берілмейді: бақылау цифры есептелмейді.

## Question bank (codes from synaq-seal)
bank-not-a-bank = Бұл файл Synaq сұрақтар банкі емес.
bank-unsupported-version = Банк форматының бұл нұсқасы қолдау көрсетілмейді. Киоскіні жаңартыңыз.
bank-truncated = Банк файлы толық емес: көшіру үзілген. Файлды қайта көшіріңіз.
bank-trailing-data = Банк файлының соңында артық деректер бар. Файлды қайта көшіріңіз.
bank-wrong-issuer = Банкке бұл киоск сенетін ЕУМЦ кілтімен қол қойылмаған.
bank-bad-signature = Банктің қолтаңбасы жарамсыз: файл өзгертілген немесе бүлінген.
bank-malformed = Банктің мазмұны дұрыс құрылмаған. ЕУМЦ-ге хабарласыңыз.
bank-not-yet-valid = Банк әлі күшіне енген жоқ. Киоск сағатын тексеріңіз.
bank-expired = Банктің қолданылу мерзімі өткен. Филиал әкімшісі жаңа банкті импорттайды («Импорт» қойындысы) немесе синхрондау арқылы алады («Синхрондау» қойындысы).
bank-rolled-back = Бұл банк осы киоскіде бұрын қолданылған нұсқадан ескі. Ескі банкке қайтуға болмайды.
bank-not-a-recipient = Бұл банк осы киоскіге берілмеген. ЕУМЦ-ден киоскіні алушыларға қосуды сұраңыз.
bank-wrong-key = Киоск кілті банкті ашпайды: кілт қате немесе бүлінген.
bank-bad-header-mac = Банк тақырыбы оның кілтіне сәйкес келмейді: банк өзгертілген.
bank-payload-corrupt = Банктің мазмұны бүлінген. Файлды қайта көшіріңіз.
bank-payload-truncated = Банктің мазмұны толық емес. Файлды қайта көшіріңіз.
bank-profile-mismatch = Банктегі емтихан ережелері оның тақырыбына сәйкес келмейді.
bank-trust-store = Киоскінің сенім күйін сақтау мүмкін болмады. Дискіні тексеріңіз.
bank-build = Банкті құру мүмкін болмады.
error-bank-missing = Сұрақтар банкі табылмады. Филиал әкімшісіне хабарлаңыз.
error-kiosk-keys = Киоск кілттері жүктелмеді. Филиал әкімшісіне хабарлаңыз.

## Roles, roster, staff and the exam store
error-forbidden = Бұл әрекетке рұқсат жоқ. Қайта кіріңіз.
error-roster-missing = Тіркелгендер тізімі табылмады. Филиал әкімшісіне хабарлаңыз.
roster-not-a-roster = Бұл файл Synaq тіркелгендер тізімі емес.
roster-unsupported-version = Тізім форматының бұл нұсқасы қолдау көрсетілмейді. Киоскіні жаңартыңыз.
roster-truncated = Тізім файлы толық емес. Файлды қайта көшіріңіз.
roster-wrong-issuer = Тізімге бұл киоск сенетін ЕУМЦ кілтімен қол қойылмаған.
roster-bad-signature = Тізімнің қолтаңбасы жарамсыз: файл өзгертілген немесе бүлінген.
roster-malformed = Тізімнің мазмұны дұрыс құрылмаған. ЕУМЦ-ге хабарласыңыз.
roster-not-yet-valid = Тізім әлі күшіне енген жоқ. Киоск сағатын тексеріңіз.
roster-expired = Тізімнің мерзімі өтіп кеткен. Жаңа тізімді импорттаңыз.
roster-rolled-back = Бұл тізім осы киоскіде қолданылған нұсқадан ескі.
roster-trust-store = Киоскінің сенім күйін сақтау мүмкін болмады. Дискіні тексеріңіз.
proctor-not-on-roster = Бұл ЖСН бүгінгі тізімде жоқ (немесе бұл санатқа тіркелмеген). Емтиханға жіберуге болмайды.
proctor-document-unchecked = Алдымен жеке басын куәландыратын құжатты тексеріп, белгілеңіз.
proctor-reason-required = Тізімнен себепті таңдаңыз.
proctor-bad-minutes =
    { $most ->
        [0] Бұл емтиханға енді уақыт қосуға болмайды: қосылған уақыт шегіне жетті. Сұралғаны: { $minutes } мин.
       *[other] Бұл емтиханға қосымша уақыт 1-ден { $most } минутқа дейін болуы керек; сұралғаны: { $minutes } мин.
    }
staff-missing-field = Барлық өрістерді толтырыңыз.
staff-weak-password = Құпиясөз кемінде 8 таңбадан тұруы керек.
staff-exists = Мұндай логині бар қызметкер бар.
staff-login-failed = Логин немесе құпиясөз қате.
staff-unknown = Мұндай қызметкер жоқ.
staff-self = Өз есептік жазбаңызды өшіре алмайсыз.
store-disk-full = Киоск дискісі толы: соңғы өзгеріс сақталмады, бұрын сақталғанның бәрі орнында. Прокторды шақырыңыз.
store-db = Деректерді сақтау қатесі. Жауаптарыңыз сақталған. Прокторды шақырыңыз.
store-assembly = { $category } санаты бойынша емтихан құрастыруға банкте сұрақтар жеткіліксіз.
store-unknown-category = { $category } санаты емтихан ережелерінде жоқ.
store-attempt-open = Бұл киоскіде аяқталмаған емтихан бар. Алдымен оны жалғастырыңыз немесе аяқтаңыз.
store-no-attempt = Бұл киоскіде емтихан жүріп жатқан жоқ.
store-not-running =
    { $state ->
        [interrupted] Емтихан үзілді (киоск тоқтап қалды). Проктор жалғастыруы керек.
       *[other] Емтихан тоқтатылған. Проктор жалғастыруы керек.
    }
store-time-up = Уақыт бітті: емтихан аяқталды.
store-finished = Емтихан аяқталды, нәтижесіне қол қойылды: онда енді ештеңе өзгертуге болмайды.
store-bad-position = № { $position } сұрақ жоқ: емтиханда { $total } сұрақ бар.
store-bad-answer = Бұл жауап № { $position } сұраққа жарамсыз.
store-bank-mismatch = Ашық емтихан { $series } банкінің { $version } нұсқасымен басталған. Сол банкті жүктеңіз.
store-tampered = Журналдың тұтастығы бұзылған. Филиал әкімшісіне хабарлаңыз.

## Kiosk screens: staff, proctor, examinee, admin
action-back = Артқа
staff-entry = Қызметкерлерге кіру
staff-role-proctor = Проктор
staff-role-admin = Әкімші
staff-login-title = Қызметкердің кіруі
staff-login-id = Логин
staff-name = Аты-жөні
staff-password = Құпиясөз
staff-password-repeat = Құпиясөзді қайталаңыз
staff-password-hint = Кемінде 8 таңба
staff-password-mismatch = Құпиясөздер сәйкес келмейді
staff-login-submit = Кіру
setup-title = Киоскіні алғашқы баптау
setup-hint = Киоскінің атын, филиалды және бірінші әкімшіні көрсетіңіз. Кейін әкімші прокторларды қосады.
setup-kiosk = Киоск
setup-kiosk-name = Киоск атауы
setup-branch = Филиал коды
setup-admin = Бірінші әкімші
setup-submit = Сақтау және кіру
welcome-title = Емтиханға қош келдіңіз
welcome-hint = Проктор жеке басыңызды тексеріп, емтиханды бастайды. Төменде санаттар мен уақыт шегі берілген.
welcome-attempt-waiting = Бұл киоскіде үзілген емтихан бар
welcome-attempt-waiting-hint = Проктор оны жалғастыруы керек: жауаптардың бәрі сақталған, қалған уақыт та сақталған.
proctor-title = Проктор
proctor-admit-title = Емтиханға жіберу
proctor-iin = Емтихан тапсырушының ЖСН-і
proctor-iin-count = { $count }/12 цифр
proctor-roster-found = Бүгінгі тізімде
proctor-attempt-number = { $attempt }-әрекет
proctor-document-checked = Жеке басын куәландыратын құжатты тексердім, суретке сәйкес келеді
proctor-no-camera = Камера табылмады: эталондық фото түсірілмейді, бұл журналға оқиға ретінде жазылады.
proctor-start = Емтиханды бастау
proctor-running-title = Емтихан жүріп жатыр
proctor-interrupted-title = Емтихан үзілді
proctor-interrupted-hint = Киоск жұмысы тоқтап қалды (ақау, қуат өшуі немесе ұйқы режимі). Тоқтап тұрған уақыт есептелмейді. Себепті көрсетіп, жалғастырыңыз.
proctor-paused-title = Емтихан тоқтатылған
proctor-paused-hint = Уақыт тоқтатылған. Себепті көрсетіп, жалғастырыңыз немесе аяқтаңыз.
proctor-pause = Тоқтата тұру
proctor-resume = Жалғастыру
proctor-extend = Уақыт қосу
proctor-extend-minutes = Қосымша минуттар
proctor-end = Бұзушылық үшін аяқтау
proctor-reason = Себеп
proctor-reason-choose = Себепті таңдаңыз
proctor-note = Түсініктеме
proctor-leave = Проктор режимінен шығу
incident-identity-doubt = Жеке басына күмән
incident-phone-or-notes = Телефон немесе жазбалар
incident-talking = Сөйлесу
incident-left-seat = Орнынан кетті
incident-technical-fault = Техникалық ақау
incident-health = Денсаулық
incident-other = Басқа
exam-examinee = Емтихан тапсырушы
exam-iin = ЖСН
exam-category = Санат
exam-time-left = Қалған уақыт
exam-answered = Жауап берілді
exam-answered-of = Жауап берілді: { $answered } / { $total }
exam-identity-title = Бұл сізсіз бе?
exam-identity-hint = Деректер қате болса, түймені баспаңыз — прокторды шақырыңыз.
exam-identity-confirm = Иә, бұл мен
exam-rules-title = Емтихан ережелері
exam-rules-questions = Сұрақтар саны: { $count }. Әр сұрақтың бір немесе бірнеше дұрыс жауабы бар — бұл сұрақта көрсетіледі.
exam-rules-time = Уақыт шегі: { $minutes } минут. Қалған уақыт экранның жоғарғы жағында көрсетіледі.
exam-rules-pass = Өту шегі: дұрыс жауаптардың кемінде { $percent } %-ы.
exam-rules-timeout = Уақыт біткенде емтихан өздігінен аяқталады, сақталған жауаптар бағаланады.
exam-rules-saved = Әр жауап «Сақталды» белгісі шыққанда сақталады. Сұрақтарды белгілеп, кейін оралуға болады.
exam-rules-keys = Пернетақта: 1–9 — жауап нұсқасы, ← → — сұрақтар арасында, Enter — келесі.
exam-rules-start = Емтиханды бастау
exam-time-warning = { $minutes } минуттан аз қалды
exam-question-of = { $position }-сұрақ / { $total }
exam-kind-single = Бір жауапты таңдаңыз
exam-kind-multiple = Барлық дұрыс жауаптарды таңдаңыз
exam-saving = Сақталуда…
exam-saved = Сақталды
exam-prev = Алдыңғы
exam-next = Келесі
exam-flag = Белгілеу
exam-unflag = Белгіні алу
exam-to-review = Тексеру және тапсыру
exam-grid-title = Барлық сұрақтар
exam-grid-cell = { $position }-сұрақ
exam-legend-answered = жауап берілді
exam-legend-open = жауапсыз
exam-legend-flagged = белгіленген
exam-review-title = Тапсыру алдында тексеру
exam-review-unanswered = Жауапсыз: { $count }
exam-review-flagged = Белгіленген: { $count }
exam-review-none = Жоқ
exam-back-to-questions = Сұрақтарға оралу
exam-submit = Емтиханды тапсыру
exam-submit-confirm-title = Емтиханды тапсырасыз ба?
exam-submit-confirm-hint = Тапсырғаннан кейін жауаптарды өзгерту мүмкін емес.
exam-submit-confirm-unanswered = Жауапсыз сұрақтар: { $count }. Олар қате деп есептеледі. Тапсырғаннан кейін өзгерту мүмкін емес.
exam-submit-cancel = Жоқ, оралу
exam-submit-yes = Иә, тапсыру
exam-paused-title = Емтихан тоқтатылды
exam-paused-hint = Уақыт тоқтатылған, жауаптарыңыз сақталған. Проктор жалғастырғанша күтіңіз.
exam-result-title = Нәтиже
exam-result-time-up = Уақыт бітті: емтихан өздігінен аяқталды.
exam-result-violation = Емтиханды проктор бұзушылыққа байланысты аяқтады.
exam-result-correct = Дұрыс жауаптар: { $correct } / { $total }
exam-result-pass = Тапсырылды (өту шегі { $percent } %)
exam-result-fail = Тапсырылмады (өту шегі { $percent } %)
exam-result-certificate = Нәтиже ЕУМЦ-ге жіберілгеннен кейін ЕУМЦ электрондық сертификат береді; оның қағаз көшірмесін осы кеңседе басып шығарады.
exam-result-retake = Қайта тапсыруға { $date } дейін болады.
exam-result-done = Емтихан аяқталды. Прокторды шақырыңыз.
admin-title = Әкімші
admin-tab-staff = Қызметкерлер
admin-tab-journal = Аудит журналы
admin-staff-title = Қызметкерлер
admin-role = Рөлі
admin-state = Күйі
admin-active = белсенді
admin-disabled = өшірілген
admin-enable = Қосу
admin-disable = Өшіру
admin-add-proctor = Проктор қосу
admin-add = Қосу
admin-added = { $id } проктор қосылды
admin-journal-title = Аудит журналы
admin-journal-filter = Оқиға түрі
admin-journal-all = Барлығы
admin-journal-time = Уақыт (UTC)
admin-journal-kind = Оқиға
admin-journal-data = Деректер
admin-leave = Шығу

## Accessibility
a11y-text-size = Мәтін өлшемі
a11y-contrast = Жоғары контраст
a11y-text-size-short = Aa

## Admin: import, export, diagnostics
admin-import-exam-open = Емтихан жүріп жатқанда банкті ауыстыруға болмайды. Алдымен оны аяқтаңыз.
admin-file-unreadable = Файл оқылмады: жолды және алынбалы тасымалдағышты тексеріңіз.
admin-export-failed = Файлды жазу мүмкін болмады: қалтаны және бос орынды тексеріңіз.
admin-tab-import = Импорт
admin-tab-diagnostics = Диагностика
admin-import-bank = Сұрақтар банкін импорттау
admin-import-roster = Тіркелгендер тізімін импорттау
admin-import-path = Алынбалы тасымалдағыштағы файлдың жолы
admin-import-run = Тексеру және импорттау
admin-import-checking = Тексерілуде: қолтаңба, мерзім, нұсқа…
admin-import-ok-bank = Банк қабылданды: { $name }, { $version }-нұсқа, { $count } сұрақ, { $until } дейін жарамды.
admin-import-ok-roster = Тізім қабылданды: { $name } филиалы, { $version }-нұсқа, { $count } жазба, { $until } дейін жарамды.
admin-export-csv = CSV-ға экспорттау
admin-export-dir = Қалта (мысалы, алынбалы тасымалдағышта)
admin-exported = Сақталды: { $path }
admin-diag-kiosk = Киоск кілті
admin-diag-disk = Бос орын
admin-diag-disk-low = Дискіде орын аз: нәтижелерді жіберіп, дискіні босатыңыз.
admin-diag-bank = Банк
admin-diag-roster = Тізім
admin-diag-until = { $date } дейін
admin-diag-camera = Камера
admin-diag-camera-present = табылды
admin-diag-camera-absent = табылмады
admin-diag-clock = Сағат (UTC)
admin-diag-clock-ok = дұрыс
admin-diag-clock-bad = тексеріңіз: сағат журналдан артта немесе банк мерзімінен тыс
admin-diag-none = жоқ
admin-diag-mb = { $mb } МБ

## Admin: settings
admin-interval-out-of-range = Түсіру аралығы 1 секундтан емтихан ережелері рұқсат еткен ең көп мәнге дейін болуы керек.
admin-camera-unknown = Мұндай камера бұл компьютерде жоқ.
admin-tab-settings = Баптаулар
admin-settings-camera = Камера
admin-settings-no-camera = Камера жоқ
admin-settings-interval = Кадр аралығы, секунд (ең көбі { $max })
admin-settings-save = Сақтау
admin-settings-saved = Баптаулар сақталды.

## Proctoring
proctor-flags = Камера белгілері: { $count }. Проктор тексеруі керек.
proctor-camera = Камера
incident-no-camera = камера жоқ
incident-camera-no-face = бет көрінбейді
incident-camera-several-faces = бірнеше бет
incident-camera-covered = камера жабық немесе қараңғы
incident-camera-frozen = кадр қатып қалды
incident-camera-lost = камера ажыратылды

## Camera: reference photo, preview
camera-none = Бұл компьютерде камера табылмады.
camera-failed = Камера жауап бермейді: кабелін тексеріңіз немесе фотосыз жалғастырыңыз (бұл журналға жазылады).
camera-busy = Камераны жүріп жатқан емтихан пайдаланып тұр.
camera-waiting = Камераның алғашқы кадры күтілуде…
camera-preview-alt = Камера кадры (тек проктор үшін)
camera-faces = { $count ->
    [0] Кадрда бет жоқ
   *[other] Кадрдағы бет саны: { $count }
}
camera-preview-show = Камераны көрсету
camera-preview-hide = Камераны жасыру
proctor-photo-title = Эталондық фото
proctor-photo-alt = Емтихан тапсырушының эталондық фотосы
proctor-photo-hint = Емтихан тапсырушыдан камераға қарауын сұраңыз да, фотоға түсіріңіз. Ол емтиханмен бірге ЕУМЦ үшін мөрленеді.
proctor-photo-take = Фотоға түсіру
proctor-photo-retake = Қайта түсіру
admin-diag-camera-test = Камераны тексеру
disk-low = Дискіде орын аз қалды: { $mb } МБ. Нәтижелерді ЕУМЦ-мен синхрондаңыз: ЕУМЦ растаған камера материалдары киосктан өшіріледі.

## Admin: sync with ЕУМЦ
admin-tab-sync = Синхрондау
sync-title = ЕУМЦ-мен синхрондау
sync-enroll-hint = Киоск әлі тіркелмеген. Орталықтың мекенжайын, оның саусақ ізін, филиал кодын және ЕУМЦ берген бір реттік кодты енгізіңіз.
sync-url = Орталықтың мекенжайы
sync-fingerprint = Орталықтың саусақ ізі (SHA-256)
sync-branch = Филиал коды
sync-code = Бір реттік тіркеу коды
sync-enroll = Киоскіні тіркеу
sync-offline-enroll = Желісіз
sync-offline-enroll-hint = Сұранысты алынбалы тасымалдағышқа жазып, ЕУМЦ-ге апарыңыз, содан кейін олар берген сертификат файлын импорттаңыз.
sync-media-dir = Алынбалы тасымалдағыштағы қалта
sync-write-request = Сұранысты жазу
sync-request-written = Сұраныс жазылды: { $path }
sync-cert-file = ЕУМЦ-ден келген сертификат файлы
sync-import-cert = Сертификатты импорттау
sync-valid-until = Киоск сертификаты мына күнге дейін жарамды
sync-last = Соңғы синхрондау
sync-never = болған жоқ
sync-queued = Жіберуді күтетін нәтижелер
sync-now = Қазір синхрондау
sync-stage-results = Нәтижелер жіберілуде: { $total } ішінен { $done }
sync-stage-evidence = Камера материалдары жіберілуде: { $percent } %
sync-stage-pull = Банк, тізім және сертификаттар алынуда…
sync-offline = Байланыс жоқ: ЕУМЦ қазір қолжетімсіз. Нәтижелер киоскіде қалады, ештеңе жоғалмайды; кейінірек қайталаңыз немесе алынбалы тасымалдағышты пайдаланыңыз.
sync-pulled = Алынды және қолданыста: { $files }
sync-col-attempt = Әрекет
sync-col-finished = Аяқталды
sync-col-state = Күйі
sync-col-evidence = Камера материалдары
sync-col-certificate = Сертификат
sync-state-queued = күтуде
sync-state-delivered = жеткізілді
sync-state-refused = қабылданбады
sync-evidence-none = жоқ
sync-evidence-queued = күтуде
sync-evidence-delivered = жеткізілді, мұнда өшірілді
sync-no-results = Бұл киоскіде әлі нәтиже жоқ.
sync-not-enrolled = Киоск ЕУМЦ-де әлі тіркелмеген: оны «Синхрондау» қойындысында тіркеңіз.
sync-bad-fingerprint = Саусақ ізі ЕУМЦ парағындағыдай 64 он алтылық таңбадан тұруы керек.
sync-bad-url = Орталықтың мекенжайы https:// деп басталуы керек.
sync-wrong-central = Бұл мекенжайдағы сервер киоск сенетін ЕУМЦ орталығы емес (сертификаты басқа). Мекенжай мен саусақ ізін тексеріңіз; ештеңе жіберілген жоқ.
sync-unsigned-answer = Жауапқа ЕУМЦ қол қоймаған: орталықтың мекенжайын тексеріңіз; ештеңе сақталған жоқ.
sync-bad-enrollment-code = ЕУМЦ тіркеу кодын қабылдамады: ол қате, бұрын қолданылған немесе басқа филиалға арналған. Жаңасын сұраңыз.
sync-kiosk-revoked = ЕУМЦ бұл киоскінің тіркеуінің күшін жойды: оның нәтижелері енді қабылданбайды. ЕУМЦ-ге хабарласыңыз.
sync-unknown-kiosk = ЕУМЦ бұл киоскіні танымайды: оны қайта тіркеңіз.
sync-refused = ЕУМЦ сұранысты қабылдамады; нәтижелер кезекте қалады. Толығырақ киоск журналында.
sync-failed = Синхрондау сәтсіз аяқталды; нәтижелер кезекте қалады. Қайталаңыз.
sync-bank-waits = Жаңа банк келді, бірақ емтихан жүріп жатыр: ол емтиханнан кейінгі келесі синхрондауда қолданылады.
evidence-missing = Бір нәтиженің камера материалдары киоскіде жоқ; ЕУМЦ бұл туралы нәтижедегі тізбек басынан біледі.
sync-clock = ЕУМЦ сұранысты қабылдамады: киоск сағаты қатты ауытқыған. Диагностикада күн мен уақытты тексеріңіз.
sync-evidence-refused = ЕУМЦ бір нәтиженің камера материалдарын қабылдамады; олар киоскіде қалады. Толығырақ киоск журналында.
sync-requeue = Қайта жіберу (ЕУМЦ себебін жойғаннан кейін)
cert-title = Еңбек қауіпсіздігі және еңбекті қорғау бойынша білімді тексеру туралы сертификат
cert-issued = Берілген күні
cert-valid-until = Жарамдылық мерзімі
cert-no-expiry = мерзімсіз
cert-status = Мәртебесі
cert-status-valid = жарамды
cert-status-revoked = күші жойылған
cert-check-hint = ЕУМЦ берген. Түпнұсқалығы QR-код арқылы тексеріледі.
cert-qr-alt = Сертификатты тексеруге арналған QR-код
cert-print = Басып шығару
cert-close = Жабу
sync-no-certificate = Бұл сертификат киоскіде жоқ: алдымен ЕУМЦ-мен синхрондаңыз.

## ЕУМЦ refusals of a result (code from central)
refusal-already-certified = Бұл әрекет бойынша сертификат бұрын берілген.
refusal-attempt-conflict = ЕУМЦ-де бұл әрекет басқа мазмұнмен бар: ЕУМЦ қауіпсіздік қызметіне хабарлаңыз.
refusal-bad-signature = Нәтиже киоск кілтімен тексерілмейді: қол қойылғаннан кейін өзгертілген.
refusal-bank-not-issued = Емтихан ЕУМЦ бұл киоскіге бермеген банк бойынша өтті.
refusal-journal-head-missing = Нәтижеде журнал басы жоқ: киоск бағдарламасын жаңартыңыз.
refusal-kiosk-not-enrolled = ЕУМЦ бұл киоскіні танымайды: оны қайта тіркеңіз.
refusal-kiosk-revoked = ЕУМЦ бұл киоскінің тіркеуінің күшін жойды: оның нәтижелері қабылданбайды.
refusal-not-on-roster = Емтихан тапсырушы ЕУМЦ тізімінде осы санат пен күнге жоқ: ЕУМЦ-ден тіркеуді тексеруді сұрап, қайта жіберіңіз.
refusal-retake-window-closed = Қайта тапсыру бір айлық мерзімнен кейін немесе сәтті тапсырудан кейін болды: ЕУМЦ оны қабылдамайды.
refusal-score-mismatch = ЕУМЦ жауаптардан басқа балл шығарды: ЕУМЦ-ге хабарлаңыз.
refusal-unknown-category = Мұндай санат банк ережелерінде жоқ.
refusal-unsupported-format = ЕУМЦ нәтиженің бұл пішімін оқымайды: киоск бағдарламасын жаңартыңыз.
refusal-wrong-kiosk = Нәтижеге басқа киоск қол қойған.
sync-bad-receipt = ЕУМЦ түбіртегі киоскідегі деректерге сәйкес келмейді: ештеңе өшірілген жоқ; қайта экспорттаңыз.
sync-media = Алынбалы тасымалдағыш оқылмайды не жазылмайды: қосулы екенін және толмағанын тексеріңіз.
sync-media-title = Алынбалы тасымалдағыш
sync-media-hint = Желісіз: жеткізілмегеннің бәрін ЕУМЦ үшін алынбалы тасымалдағышқа жазыңыз, содан кейін ЕУМЦ қайтарған түбіртектер файлын импорттаңыз.
sync-export = Алынбалы тасымалдағышқа жазу
sync-exported = Жазылды: { $results } нәтиже, { $evidence } емтиханның камера материалдары, { $mb } МБ — { $path }
sync-nothing-to-export = Экспорттайтын ештеңе жоқ: бәрі жеткізілген.
sync-receipts-file = ЕУМЦ-ден келген түбіртектер файлы (.synaqin)
sync-import-receipts = Түбіртектерді импорттау
sync-receipts-imported = Түбіртектер қолданылды: жеткізілді { $delivered }, қабылданбады { $refused }, өзгеріссіз { $unchanged }; { $evidence } емтиханның камера материалдары расталды.
bank-revoked = ЕУМЦ бұл сұрақтар банкінің күшін жойды: ол бойынша емтихан бастауға болмайды. ЕУМЦ-мен синхрондаңыз немесе орнына келген банкті импорттаңыз.
admin-from-central = ЕУМЦ тізімі
admin-needs-password = бұл киоскіде әлі құпиясөз жоқ
admin-set-password = Құпиясөз орнату
bank-malformed-header = Банк тақырыбы дұрыс құрылмаған. ЕУМЦ-ге хабарласыңыз.

## ЕУМЦ's public verification page /v/{number} (synaq-central; shown in kk and ru)
verify-page-issuer = ЕУМЦ
verify-page-title = { cert-title }
verify-page-number = Сертификат нөмірі
verify-page-name = Аты-жөні
verify-page-iin = ЖСН
verify-page-category = Санат
verify-page-issued = Берілген күні
verify-page-valid-until = Жарамдылық мерзімі
verify-page-no-expiry = Мерзімсіз
verify-page-status = Мәртебесі
verify-page-valid = Жарамды
verify-page-expired = Мерзімі өткен
verify-page-revoked = Күші жойылған
verify-page-not-found = Мұндай нөмірлі сертификат тізілімде жоқ.

## ЕУМЦ тексерушінің шешіміне дейін жеткізілген нәтижені ұстап тұру себептері.
refusal-certificate-still-valid = Бұл адамның осы санат бойынша қолданыстағы сертификаты бар: жаңасы оның мерзімі біткенге дейін аз уақыт қалғанда ғана беріледі.
refusal-enroll-throttled = Бұл мекенжайдан тіркеу коды тым көп рет қате енгізілді: күте тұрыңыз, содан кейін кодты ЕУМЦ-мен нақтылаңыз.
result-awaiting-evidence = Жеткізілді: веб-камера жазбасы келіп, тексерілгеннен кейін ЕУМЦ сертификат береді.
result-held = Жеткізілді, ЕУМЦ тексеру үшін ұстап тұр: { $reasons }
hold-finish-before-start = емтихан басталмай тұрып аяқталған
hold-start-before-registration = емтихан тіркеу мерзімі ашылмай тұрып басталған
hold-start-before-bank = емтихан сұрақтар банкі күшіне енбей тұрып басталған
hold-finished-after-receipt = емтихан ЕУМЦ алған уақыттан кейінгі күнмен белгіленген (киоск сағаты алда)
hold-too-old = емтихан ЕУМЦ алғаннан әлдеқайда бұрын өткен деп белгіленген
hold-active-exceeds-wall = емтихан уақыты басталуы мен аяқталуы арасындағы уақыттан ұзақ
hold-active-exceeds-limit = емтихан уақыты лимиттен асқан
hold-limit-extended = уақыт шегі профиль шегі мен журналдағы қосымша уақыттың қосындысына тең емес
hold-too-fast = сұрақтарға тым жылдам жауап берілген
hold-proctor-unknown = рұқсат берген проктор ЕУМЦ-дегі осы филиал қызметкерлерінің тізімінде жоқ
hold-proctor-inactive = рұқсат берген проктор ЕУМЦ-де қызметкер ретінде белсенді емес
hold-incident-staff-unknown = оқиғада ЕУМЦ осы филиалда белсенді деп санамайтын қызметкер көрсетілген
hold-roster-other-branch = тіркеу басқа филиалға жасалған
hold-ended-for-violation = емтихан бұзушылық үшін тоқтатылған
hold-no-camera = емтихан камерасыз өткен
hold-camera-flags = камера бұзушылықты тым жиі белгілеген
hold-no-reference-photo = веб-камера жазбасы бақылау фотосуретінен басталмайды
hold-evidence-coverage = веб-камера кадрлары емтихан уақытын қамтымайды
hold-evidence-invalid = веб-камера жазбасы қол қойылған нәтижеге сәйкес келмейді
hold-pass-before-fail = сәтті тапсыру сәтсіз әрекеттен бұрынғы күнмен белгіленген
hold-too-many-fails = бір күнде сәтсіз әрекеттер тым көп
hold-kiosk-revoked = ЕУМЦ бұл киоскінің тіркеуінің күшін жойған
hold-journal-missing = нәтиже емтихан журналынсыз келді
hold-journal-broken = емтихан журналы тексеруден өтпейді
hold-journal-mismatch = нәтиже емтихан журналымен сәйкес келмейді
hold-answered-after-time = жауаптар уақыт біткеннен кейін жазылған
hold-paper-not-drawn = билет банктен алынғанмен сәйкес келмейді
hold-chain-missing = нәтиженің киоск нәтижелері тізбегінде орны жоқ
hold-chain-gap = осы нәтижеге дейінгі киосктің басқа нәтижелері ЕУМЦ-ге жетпеген
hold-chain-fork = киоск нәтижелерінің тізбегі екіге бөлінеді

## The paper certificate (synaq-paper): an A4 PDF, kk first, then ru; the title is cert-title
paper-holder = Тегі, аты, әкесінің аты
paper-iin = ЖСН
paper-category = Санат
paper-checked-on = Білімді тексерген күні
paper-place = Тексерген орны
paper-issued-on = Берілген күні
paper-valid-until = Жарамдылық мерзімі
paper-issuer = Сертификатты берген
paper-signatory = ЕУМЦ-нің уәкілетті тұлғасы
paper-signature = қолы
paper-stamp = М.О.
paper-verify = Түпнұсқалығын тексеру
