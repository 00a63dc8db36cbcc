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
category-pass-mark = Проходной балл: { $percent } %
category-training = Обучение: { $hours } { $hours ->
        [one] час
        [few] часа
       *[many] часов
    }

## Errors shown to people
error-title = Ошибка
error-profile-invalid = Правила экзамена не загрузились. Сообщите администратору филиала.
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
