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
bank-malformed = Банктің мазмұны дұрыс құрылмаған. ЕУМЦ-ға хабарласыңыз.
bank-not-yet-valid = Банк әлі күшіне енген жоқ. Киоск сағатын тексеріңіз.
bank-expired = Банктің қолданылу мерзімі өткен. Жаңа банкті импорттаңыз.
bank-rolled-back = Бұл банк осы киоскіде бұрын қолданылған нұсқадан ескі. Ескі банкке қайтуға болмайды.
bank-not-a-recipient = Бұл банк осы киоскіге берілмеген. ЕУМЦ-дан киоскіні алушыларға қосуды сұраңыз.
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
roster-malformed = Тізімнің мазмұны дұрыс құрылмаған. ЕУМЦ-ға хабарласыңыз.
roster-not-yet-valid = Тізім әлі күшіне енген жоқ. Киоск сағатын тексеріңіз.
roster-expired = Тізімнің мерзімі өтіп кеткен. Жаңа тізімді импорттаңыз.
roster-rolled-back = Бұл тізім осы киоскіде қолданылған нұсқадан ескі.
roster-trust-store = Киоскінің сенім күйін сақтау мүмкін болмады. Дискіні тексеріңіз.
proctor-not-on-roster = Бұл ЖСН бүгінгі тізімде жоқ (немесе бұл санатқа тіркелмеген). Емтиханға жіберуге болмайды.
proctor-document-unchecked = Алдымен жеке басын куәландыратын құжатты тексеріп, белгілеңіз.
proctor-reason-required = Тізімнен себепті таңдаңыз.
proctor-bad-minutes = Қосымша уақыт 1-ден 120 минутқа дейін болуы керек.
staff-missing-field = Барлық өрістерді толтырыңыз.
staff-weak-password = Құпиясөз кемінде 8 таңбадан тұруы керек.
staff-exists = Мұндай логині бар қызметкер бар.
staff-login-failed = Логин немесе құпиясөз қате.
staff-unknown = Мұндай қызметкер жоқ.
staff-self = Өз есептік жазбаңызды өшіре алмайсыз.
store-disk-full = Киоск дискісі толы: соңғы өзгеріс сақталмады, бұрын сақталғанның бәрі орнында. Проктор шақырыңыз.
store-db = Деректерді сақтау қатесі. Жауаптарыңыз сақталған. Проктор шақырыңыз.
store-assembly = Бұл санат бойынша емтихан құрастыруға банкте сұрақтар жеткіліксіз.
store-unknown-category = Мұндай санат емтихан ережелерінде жоқ.
store-attempt-open = Бұл киоскіде аяқталмаған емтихан бар. Алдымен оны жалғастырыңыз немесе аяқтаңыз.
store-no-attempt = Бұл киоскіде емтихан жүріп жатқан жоқ.
store-not-running = Емтихан тоқтатылған. Проктор жалғастыруы керек.
store-time-up = Уақыт бітті: емтихан аяқталды.
store-bad-position = Мұндай сұрақ жоқ.
store-bad-answer = Бұл жауап осы сұраққа жарамсыз.
store-bank-mismatch = Ашық емтихан басқа банкпен басталған. Сол банкті жүктеңіз.
store-tampered = Журналдың тұтастығы бұзылған. Филиал әкімшісіне хабарлаңыз.
