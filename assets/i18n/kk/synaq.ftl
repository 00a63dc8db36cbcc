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
category-pass-mark = Өту шегі: { $percent } %
category-training = Оқыту: { $hours } сағат

## Errors shown to people
error-title = Қате
error-profile-invalid = Емтихан ережелері жүктелмеді. Филиал әкімшісіне хабарлаңыз.
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
