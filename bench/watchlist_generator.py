"""Seeded generator of realistic multilingual watchlist entities and screening queries."""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from precx.screening.matching.normalize import EntityType


class GeneratedEntity(NamedTuple):
    """One listed entity, shaped as the index and the watchlist readers consume it."""

    entity_id: str
    name: str
    entity_type: EntityType
    aliases: tuple[str, ...]
    country: str


@dataclass(frozen=True)
class GeneratedQuery:
    """One screening query: a customer name, and the listed entity it was derived from if any."""

    name: str
    entity_type: EntityType
    country: str
    listed_id: str | None  # None: a name drawn from the same distributions but not listed
    perturbation: str  # exact, typo, transliteration, word_order, dropped_middle, ...


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- Cyrillic transliteration ---------------------------------------------------------------
# Several systems are in use for the same person: English (BGN/PCGN), the passport (ICAO 9303),
# German (Duden), French, scientific (ISO 9, with diacritics) and Polish. Columns in that order.
_SYSTEMS = ("bgn", "icao", "de", "fr", "iso", "pl")
_CYR_TABLE: dict[str, tuple[str, str, str, str, str, str]] = {
    "а": ("a", "a", "a", "a", "a", "a"),
    "б": ("b", "b", "b", "b", "b", "b"),
    "в": ("v", "v", "w", "v", "v", "w"),
    "г": ("g", "g", "g", "g", "g", "g"),
    "ґ": ("g", "g", "g", "g", "g", "g"),
    "д": ("d", "d", "d", "d", "d", "d"),
    "е": ("e", "e", "e", "e", "e", "e"),
    "ё": ("yo", "e", "jo", "io", "ë", "io"),
    "є": ("ye", "ie", "je", "ie", "je", "je"),
    "ж": ("zh", "zh", "sch", "j", "ž", "ż"),
    "з": ("z", "z", "s", "z", "z", "z"),
    "и": ("i", "i", "i", "i", "i", "i"),
    "і": ("i", "i", "i", "i", "i", "i"),
    "ї": ("yi", "i", "ji", "ï", "ï", "ji"),
    "й": ("y", "i", "j", "ï", "j", "j"),
    "к": ("k", "k", "k", "k", "k", "k"),
    "л": ("l", "l", "l", "l", "l", "l"),
    "м": ("m", "m", "m", "m", "m", "m"),
    "н": ("n", "n", "n", "n", "n", "n"),
    "о": ("o", "o", "o", "o", "o", "o"),
    "п": ("p", "p", "p", "p", "p", "p"),
    "р": ("r", "r", "r", "r", "r", "r"),
    "с": ("s", "s", "s", "s", "s", "s"),
    "т": ("t", "t", "t", "t", "t", "t"),
    "у": ("u", "u", "u", "ou", "u", "u"),
    "ў": ("w", "u", "w", "ou", "ŭ", "ł"),
    "ф": ("f", "f", "f", "f", "f", "f"),
    "х": ("kh", "kh", "ch", "kh", "h", "ch"),
    "ц": ("ts", "ts", "z", "ts", "c", "c"),
    "ч": ("ch", "ch", "tsch", "tch", "č", "cz"),
    "ш": ("sh", "sh", "sch", "ch", "š", "sz"),
    "щ": ("shch", "shch", "schtsch", "chtch", "šč", "szcz"),
    "ъ": ("", "ie", "", "", "", ""),
    "ы": ("y", "y", "y", "y", "y", "y"),
    "ь": ("", "", "", "", "", ""),
    "э": ("e", "e", "e", "e", "è", "e"),
    "ю": ("yu", "iu", "ju", "iou", "ju", "ju"),
    "я": ("ya", "ia", "ja", "ia", "ja", "ja"),
    # Kazakh
    "ә": ("a", "a", "ä", "a", "ä", "a"),
    "ғ": ("gh", "g", "g", "gh", "ġ", "g"),
    "қ": ("q", "k", "k", "k", "q", "k"),
    "ң": ("ng", "n", "ng", "ng", "ñ", "n"),
    "ө": ("o", "o", "ö", "o", "ö", "o"),
    "ұ": ("u", "u", "u", "ou", "ū", "u"),
    "ү": ("u", "u", "ü", "u", "ü", "u"),
    "һ": ("h", "h", "h", "h", "h", "h"),
    # Uzbek
    "ҳ": ("h", "kh", "ch", "kh", "ḩ", "ch"),
}
# Letters a language reads differently from Russian.
_LANG_OVERRIDES: dict[str, dict[str, str]] = {
    "uk": {"г": "h", "и": "y", "і": "i"},
    "be": {"г": "h", "і": "i"},
    "uz": {"ў": "o'", "ғ": "g'", "қ": "q", "х": "x", "ҳ": "h"},
    "kk": {},
    "ru": {},
}
_INITIAL_E = {"bgn": "ye", "icao": "e", "de": "je", "fr": "ie", "iso": "e", "pl": "je"}
_TRANSLIT_CACHE: dict[tuple[str, str], dict[int, str]] = {}


def _translit_map(system: str, lang: str) -> dict[int, str]:
    cached = _TRANSLIT_CACHE.get((system, lang))
    if cached is not None:
        return cached
    column = _SYSTEMS.index(system)
    table = {letter: forms[column] for letter, forms in _CYR_TABLE.items()}
    if system in ("bgn", "icao", "iso"):
        table.update(_LANG_OVERRIDES[lang])
    mapping: dict[int, str] = {}
    for letter, latin in table.items():
        mapping[ord(letter)] = latin
        mapping[ord(letter.upper())] = latin[:1].upper() + latin[1:]
    _TRANSLIT_CACHE[(system, lang)] = mapping
    return mapping


_WORD_INITIAL_E = re.compile(r"(?<![а-яёіїєґўәғқңөұүһҳ])е", re.IGNORECASE)


def transliterate(text: str, system: str, lang: str = "ru") -> str:
    """Cyrillic to Latin in one of the systems found on real documents."""
    initial = _INITIAL_E[system]

    def initial_e(match: re.Match[str]) -> str:
        return initial.capitalize() if match.group(0).isupper() else initial

    text = _WORD_INITIAL_E.sub(initial_e, text)
    latin = text.translate(_translit_map(system, lang))
    if latin.isupper() or text.isupper():
        return latin.upper()
    return latin


# --- Greek transliteration ------------------------------------------------------------------
_GREEK_DIGRAPHS = {
    "elot": [
        ("ου", "ou"),
        ("αι", "ai"),
        ("ει", "ei"),
        ("οι", "oi"),
        ("μπ", "mp"),
        ("ντ", "nt"),
        ("γγ", "ng"),
        ("γκ", "gk"),
        ("αυ", "av"),
        ("ευ", "ev"),
    ],
    "phon": [
        ("ου", "u"),
        ("αι", "e"),
        ("ει", "i"),
        ("οι", "i"),
        ("μπ", "b"),
        ("ντ", "d"),
        ("γγ", "ng"),
        ("γκ", "g"),
        ("αυ", "af"),
        ("ευ", "ef"),
    ],
}
_GREEK_LETTERS = {
    "elot": dict(
        zip(
            "αβγδεζηθικλμνξοπρσςτυφχψω",
            _words("a v g d e z i th i k l m n x o p r s s t y f ch ps o"),
            strict=True,
        )
    ),
    "phon": dict(
        zip(
            "αβγδεζηθικλμνξοπρσςτυφχψω",
            _words("a v g d e z i th i k l m n ks o p r s s t i f h ps o"),
            strict=True,
        )
    ),
}


def _strip_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def transliterate_greek(text: str, system: str) -> str:
    """Greek to Latin: ELOT 743 or the phonetic spelling people use abroad."""
    words = []
    for word in _strip_marks(text).split():
        lower = word.lower()
        for greek, latin in _GREEK_DIGRAPHS[system]:
            lower = lower.replace(greek, latin)
        latin = "".join(_GREEK_LETTERS[system].get(c, c) for c in lower)
        words.append(latin.upper() if word.isupper() else latin.capitalize())
    return " ".join(words)


def strip_diacritics(text: str) -> str:
    """What a keyboard without the national layout makes of a name: Łódź -> Lodz."""
    return _strip_marks(
        text.replace("ł", "l").replace("Ł", "L").replace("ı", "i").replace("ß", "ss")
    )


def german_umlauts(text: str) -> str:
    """The German (and passport) spelling of umlauts: Müller -> Mueller."""
    for umlaut, digraph in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
        ("ß", "ss"),
    ):
        text = text.replace(umlaut, digraph)
    return text


# --- Word lists -----------------------------------------------------------------------------
RU_MALE = _words(
    "Александр Алексей Андрей Антон Артём Борис Вадим Валерий Василий Виктор Виталий Владимир "
    "Владислав Вячеслав Геннадий Георгий Григорий Денис Дмитрий Евгений Егор Иван Игорь Илья "
    "Кирилл Константин Леонид Максим Михаил Николай Олег Павел Пётр Роман Руслан Сергей "
    "Станислав Степан Тимур Фёдор Юрий Ярослав Эдуард Анатолий Аркадий Валентин Глеб Никита "
    "Семён Филипп Марат Ринат Артур Евгений"
)
RU_FEMALE = _words(
    "Анна Анастасия Алёна Валентина Вера Галина Дарья Екатерина Елена Елизавета Ирина Карина "
    "Ксения Лариса Людмила Марина Мария Надежда Наталья Нина Ольга Полина Светлана Софья Татьяна "
    "Юлия Яна Любовь Оксана Зоя Алла Жанна Инна Кристина Эльвира"
)
RU_SURNAMES = _words(
    "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов "
    "Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров "
    "Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин "
    "Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов "
    "Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев "
    "Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов "
    "Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов "
    "Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов "
    "Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов "
    "Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов "
    "Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев "
    "Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов "
    "Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронов "
    "Аксёнов Мальцев Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов "
    "Плотников Хохлов Жданов Рябов Шестаков Шубин Шаповалов Чистяков Хабибуллин Зиновьев Ширяев "
    "Шевцов Чижов Щукин Юсупов Вишневский Покровский Ковальский Березовский Заславский Жуковский "
    "Троицкий Успенский Вознесенский Ерёменко Гордеев Лысенко Абрамович Рабинович Гуревич"
)
UK_MALE = _words(
    "Олександр Андрій Богдан Василь Віктор Володимир Дмитро Іван Ігор Микола Михайло Олег Петро "
    "Сергій Тарас Юрій Ярослав Остап Павло Роман Євген Степан Григорій Анатолій Віталій"
)
UK_FEMALE = _words(
    "Олена Оксана Ірина Наталія Тетяна Світлана Юлія Марія Ганна Людмила Катерина Вікторія "
    "Галина Лариса Надія Оксана Софія Христина"
)
UK_SURNAMES = _words(
    "Шевченко Коваленко Бондаренко Ткаченко Кравченко Олійник Шевчук Коваль Бойко Ткачук Мельник "
    "Поліщук Лисенко Савченко Руденко Марченко Мороз Петренко Кузьменко Павленко Гончаренко "
    "Кравчук Левченко Захарченко Харченко Іщенко Яковенко Литвиненко Гриценко Клименко Романенко "
    "Тимошенко Мазур Сидоренко Костенко Ковальчук Стасюк Білик Гуменюк Пономаренко Гаврилюк "
    "Кушнір Вакуленко Дорошенко Федоренко Демченко Карпенко Приходько Назаренко"
)
BE_MALE = _words("Аляксандр Сяргей Уладзімір Андрэй Дзмітрый Мікалай Віктар Павел Юрый Іван Алег")
BE_FEMALE = _words("Святлана Наталля Вольга Алена Таццяна Ірына Марыя Ганна")
BE_SURNAMES = _words(
    "Лукашэнка Шушкевіч Караткевіч Мацкевіч Новік Казлоў Іваноў Васілеўскі Багдановіч Жукоўскі "
    "Шымановіч Ярмоленка Кавалёў Марозаў Бабіч Сянкевіч Дашкевіч Петрашэўскі Міхалевіч Гуцько"
)
KK_MALE = _words(
    "Нұрсұлтан Қасым Айдар Ерлан Дәурен Асхат Бауыржан Ержан Серік Марат Мұрат Арман Данияр "
    "Нұрлан Талғат Ғалым Жанат Әсет Бекзат Тимур Ерболат Қайрат Болат Мақсат"
)
KK_FEMALE = _words(
    "Айгерім Әсел Гүлнар Динара Жанар Сәуле Мөлдір Ақмарал Айжан Назерке Гүлмира Жұлдыз"
)
KK_SURNAMES = _words(
    "Назарбаев Тоқаев Әбенов Сәрсенбаев Жақсыбеков Мұқанов Оспанов Омаров Ахметов Бекмұхамбетов "
    "Ермеков Исабеков Құнаев Сейітов Темірханов Жұмабаев Қасымов Серікбаев Төлеуов Нұрғалиев "
    "Мамин Смайылов Әлиев Байжанов Құдайбергенов Ысқақов Тәжібаев Шәріпов"
)
UZ_MALE = _words(
    "Рустам Шавкат Дилшод Ислом Жасур Бахтиёр Улуғбек Фаррух Шерзод Ботир Азиз Отабек Акмал "
    "Жамшид Алишер Шухрат Равшан Тоҳир Зафар Хуршид"
)
UZ_FEMALE = _words("Дилноза Гулнора Нилуфар Малика Зарина Шаҳноза Феруза Моҳира Дилфуза Саида")
UZ_SURNAMES = _words(
    "Каримов Мирзиёев Усмонов Турсунов Рашидов Юсупов Абдуллаев Исмоилов Холматов Эргашев Ниёзов "
    "Қодиров Раҳимов Азимов Султонов Хўжаев Саидов Тошматов Норматов Умаров Алимов Зокиров "
    "Мўминов Ғуломов Жўраев"
)
PL_MALE = _words(
    "Jan Piotr Krzysztof Andrzej Tomasz Paweł Michał Marcin Łukasz Grzegorz Mateusz Wojciech "
    "Jakub Kamil Maciej Marek Józef Stanisław Zbigniew Jarosław Rafał Przemysław Dariusz Sławomir"
)
PL_FEMALE = _words(
    "Anna Maria Katarzyna Małgorzata Agnieszka Barbara Ewa Krystyna Elżbieta Zofia Magdalena "
    "Joanna Aleksandra Dorota Beata Jadwiga Halina Grażyna Bożena Urszula"
)
PL_SURNAMES = _words(
    "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak "
    "Dąbrowski Kozłowski Jankowski Mazur Wojciechowski Kwiatkowski Krawczyk Kaczmarek Piotrowski "
    "Grabowski Zając Pawłowski Michalski Król Wieczorek Jabłoński Wróbel Nowakowski Majewski "
    "Olszewski Stępień Malinowski Jaworski Adamczyk Dudek Nowicki Pawlak Górski Witkowski Walczak "
    "Sikora Baran Rutkowski Michalak Szewczyk Ostrowski Tomaszewski Pietrzak Zalewski Wróblewski "
    "Jasiński Marciniak Sadowski Bąk Zawadzki Duda Chmielewski Włodarczyk Borkowski Czarnecki "
    "Sawicki Sokołowski Szczepański Kucharski Kalinowski Wysocki Kaźmierczak Czerwiński Głowacki "
    "Brzeziński Ziółkowski Przybylski"
)
CS_MALE = _words(
    "Jiří Jan Petr Josef Pavel Martin Tomáš Jaroslav Miroslav Zdeněk Václav Michal František "
    "Jakub Milan Karel Lukáš David Ondřej Vojtěch"
)
CS_FEMALE = _words(
    "Jana Marie Eva Hana Anna Lenka Kateřina Věra Lucie Alena Petra Jaroslava Veronika Zuzana"
)
CS_SURNAMES = _words(
    "Novák Svoboda Novotný Dvořák Černý Procházka Kučera Veselý Horák Němec Pokorný Marek "
    "Pospíšil Hájek Jelínek Král Růžička Beneš Fiala Sedláček Doležal Zeman Kolář Navrátil Čermák "
    "Urban Vaněk Blažek Kříž Kovář Bartoš Vlček Polák Musil Kopecký Šimek Konečný Malý Holub "
    "Štěpánek"
)
TR_MALE = _words(
    "Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer Ramazan Halil "
    "Süleyman Abdullah Mahmut Recep Salih Fatih Kemal Emre Burak Serkan Özgür Uğur Çağlar Erdem"
)
TR_FEMALE = _words(
    "Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Zehra Sultan Hanife Merve Özlem Gülsüm "
    "Büşra Derya Gökçe"
)
TR_SURNAMES = _words(
    "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan "
    "Çetin Kara Koç Kurt Özkan Şimşek Polat Özer Korkmaz Çakır Erdoğan Yavuz Can Acar Şen Aktaş "
    "Güler Yalçın Güneş Bozkurt Bulut Keskin Ünal Turan Gül Özcan Işık Kaplan Avcı Sarı Tekin Taş "
    "Köse Yüksel Ateş Aksoy Karaca Erdem Güven Tunç Ekinci Bayram"
)
DE_MALE = _words(
    "Hans Peter Wolfgang Klaus Jürgen Michael Thomas Andreas Stefan Frank Uwe Günter Jörg "
    "Matthias Markus Sebastian Dieter Horst Bernd Ralf Karl-Heinz Hans-Jürgen"
)
DE_FEMALE = _words(
    "Ursula Monika Petra Sabine Renate Jutta Gisela Brigitte Andrea Claudia Birgit Susanne Karin "
    "Bärbel Jürgen"
)
DE_SURNAMES = _words(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann "
    "Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König "
    "Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel "
    "Friedrich Keller Günther Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster "
    "Böhm Winter Kraus Schumacher Krämer Vogt Stein Jäger Sommer Groß Seidel Heinrich Brandt Haas"
)
FR_MALE = _words(
    "Jean Pierre Michel André Philippe Alain Jacques Bernard François Éric Stéphane Frédéric "
    "Sébastien Nicolas Christophe Laurent Olivier Thierry Jérôme Benoît Jean-Pierre Jean-Luc"
)
FR_FEMALE = _words(
    "Marie Nathalie Isabelle Sylvie Catherine Françoise Hélène Céline Valérie Sandrine Véronique "
    "Stéphanie Aurélie Élodie Marie-Claire Anne-Sophie"
)
FR_SURNAMES = _words(
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèbvre "
    "Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont "
    "Lambert Bonnet François Legrand Garnier Faure Rousseau Blanc Guérin Henry Roussel Perrin "
    "Morin Mathieu Clément Gauthier Dumont Fontaine Chevalier Robin Masson Gérard Boyer Denis "
    "Lemaire Duval Joly Gautier Roger Roche Noël Lucas Meunier Marchand Dufour Blanchard Barbier "
    "Brun Dumas Brunet Leroux Colin Renard Arnaud Caron Aubert Giraud Leclerc Vidal Bourgeois "
    "Renaud Lemoine Picard Lacroix Fabre Dupuis Hubert Rivière Ménard Prévost Carré"
)
GR_MALE = _words(
    "Γεώργιος Δημήτριος Κωνσταντίνος Ιωάννης Νικόλαος Παναγιώτης Βασίλειος Χρήστος Αθανάσιος "
    "Μιχαήλ Ευάγγελος Σπυρίδων Αντώνιος Ανδρέας Θεόδωρος Σταύρος Αλέξανδρος Πέτρος"
)
GR_FEMALE = _words(
    "Μαρία Ελένη Αικατερίνη Βασιλική Σοφία Αγγελική Δήμητρα Γεωργία Ευαγγελία Ιωάννα"
)
GR_SURNAMES = _words(
    "Παπαδόπουλος Παπαδάκης Γεωργίου Οικονόμου Παπαγεωργίου Βασιλείου Νικολάου Καραγιάννης "
    "Ιωάννου Δημητρίου Μακρής Αθανασίου Παπανικολάου Κωνσταντίνου Αντωνίου Χριστοδούλου Αλεξίου "
    "Πετρόπουλος Μαυρίδης Σταυρόπουλος Κυριακίδης Θεοδωρίδης Λαμπράκης Κατσαρός Μπακογιάννης"
)
AR_MALE: tuple[tuple[str, ...], ...] = tuple(
    tuple(g.split("/"))
    for g in _words(
        "Mohammed/Muhammad/Mohamed/Mohammad/Muhammed Ahmed/Ahmad Abdulrahman/Abdul-Rahman/"
        "Abd-al-Rahman/Abdelrahman Abdullah/Abdallah/Abd-Allah Hussein/Husayn/Hussain/Hossein "
        "Hassan/Hasan Ali Omar/Umar Khaled/Khalid Youssef/Yusuf/Yousef Ibrahim/Ebrahim "
        "Mustafa/Mostafa Saeed/Said/Sayed Tariq/Tarek/Tareq Walid/Waleed Faisal/Feisal "
        "Hamza/Hamzah Jamal/Gamal Karim/Kareem Nasser/Nasir/Naser Salem/Salim Majid/Maged/Majed "
        "Rashid/Rachid/Rasheed Samir/Sameer Mahmoud/Mahmud Adel/Adil Bilal Imad/Emad Osama/Usama "
        "Ziad/Ziyad Anwar Jaber/Jabir"
    )
)
AR_FEMALE: tuple[tuple[str, ...], ...] = tuple(
    tuple(g.split("/"))
    for g in _words(
        "Fatima/Fatma/Fatimah Aisha/Aicha/Ayesha Mariam/Maryam/Meriem Nour/Noor/Nur "
        "Layla/Leila/Laila Zainab/Zaynab/Zeinab Huda/Hoda Amal Salma Rania/Ranya"
    )
)
AR_FAMILIES: tuple[tuple[str, ...], ...] = tuple(
    tuple(g.split("/"))
    for g in _words(
        "Rashid/Rasheed Hashimi/Hashemi Masri/Masry Tamimi Khatib/Khateeb Shami Zahrani "
        "Qahtani/Kahtani Harbi Otaibi/Otaiby Mutairi Dosari/Dossary Ghamdi Shehri Maliki Ansari "
        "Baghdadi Husseini/Husseiny Sayed/Sayyid Najjar/Naggar Haddad Khoury/Khouri Saleh/Salih "
        "Mansour/Mansur Nasser/Nasir Abbas Aziz Farouk/Faruq Suleiman/Sulaiman Obeidi/Ubaydi "
        "Jaziri Tikriti Hakim/Hakeem Kuwaiti Qasimi/Qassimi Nuaimi/Naimi Falasi/Falasy"
    )
)
CN_SURNAMES = _words(
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng "
    "Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan Pan Cai Jiang Yu Du Ye "
    "Cheng Wei Su Lu"
)
CN_SYLLABLES = _words(
    "wei fang min jing li qiang lei jun yang yong yan jie juan tao ming chao xiu xia hui hong "
    "gang ping hua jian bin feng lin xin yu hao long peng zhi guo dong cheng hai kai rui ning "
    "shu zhen qing wen xiao yi yun tian sheng jin heng da tai kang bao fu an de ke xing yuan "
    "hong sen rong shun"
)
CN_PLACES = _words(
    "Shanghai Beijing Jiangsu Zhejiang Shandong Guangdong Shenzhen Tianjin Hebei Hubei Wuhan "
    "Nanjing Hangzhou Suzhou Qingdao Xiamen Chengdu Chongqing Ningbo Dalian Changzhou Wuxi Jinan "
    "Zibo Shijiazhuang Anhui Henan Hunan Sichuan Fujian Liaoning Jilin Taizhou Lianyungang"
)
CN_SECTORS = (
    "Chemical",
    "Pharmaceutical",
    "Chemical Industry",
    "Fine Chemical",
    "New Material",
    "Biotechnology",
    "Import and Export",
    "Trading",
    "Industrial",
    "Technology",
    "Bio-Pharm",
    "Chemicals",
    "Pharmaceutical Technology",
    "Chemical Technology",
    "Medical",
)
IN_MALE = _words(
    "Rajesh Suresh Ramesh Amit Sanjay Vijay Anil Sunil Rahul Deepak Arun Manoj Ashok Vikram "
    "Nitin Prakash Sandeep Rakesh Harish Kiran"
)
IN_FEMALE = _words("Priya Sunita Anjali Pooja Neha Kavita Rekha Meena Lakshmi Deepa")
IN_SURNAMES = _words(
    "Sharma Patel Singh Kumar Gupta Shah Mehta Reddy Rao Agarwal Jain Verma Iyer Nair Desai "
    "Joshi Chopra Malhotra Kapoor Bhatt Chauhan Pillai Menon Banerjee Mukherjee Das Chatterjee"
)
IN_STEMS = _words(
    "Sun Aarti Deepak Gujarat Alkyl Balaji Sudarshan Vinati Atul Navin Shree Sai Om Krishna "
    "Ganesh Laxmi Bharat Hindustan Jubilant Galaxy Neuland Divya Aurobindo Mahalaxmi Siddhi "
    "Tirupati Vardhman Ambuja Kiran Meghmani Bodal Sadhana Rama Vasudha Hikal Aether Anupam"
)
IN_SECTORS = (
    "Chemicals",
    "Pharma",
    "Organics",
    "Drugs",
    "Industries",
    "Fine Chem",
    "Laboratories",
    "Speciality Chemicals",
    "Exports",
    "Overseas",
    "Life Sciences",
    "Agro Chemicals",
)
NL_MALE = _words("Jan Pieter Johannes Willem Hendrik Cornelis Gerrit Dirk Bas Joost Maarten Ruud")
NL_FEMALE = _words("Sanne Anna Femke Lotte Maria Johanna Inge Marieke")
NL_SURNAMES = (
    "van der Berg",
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "van Leeuwen",
    "van der Meer",
    "Kok",
    "Verhoeven",
    "Janssen",
)
EN_BRAND_PARTS = _words(
    "Nova Chem Pharm Synth Lab Tek Gen Vita Quant Axis Apex Zen Omni Terra Bio Med Poly Mer Sol "
    "Vex Lux Tri Uni Max Pro Prime Core Ion Nex Gal Ore Chim Kem Fin Orb Ark Alta Vera"
)
EN_WORDS = _words(
    "Global United Pacific Atlantic Euro Trans Inter Northern Eastern Western Southern Central "
    "Royal Golden Silver Blue Green Star Eagle Falcon Phoenix Delta Sigma Omega Alpha Crown"
)
EN_SECTORS = (
    "Chemicals",
    "Chemical",
    "Trading",
    "Pharma",
    "Pharmaceuticals",
    "Logistics",
    "Import-Export",
    "International",
    "Industries",
    "Holdings",
    "Group",
    "Solutions",
    "Supplies",
    "Laboratories",
    "Scientific",
    "General Trading",
    "Commodities",
    "Resources",
)
EN_FORMS = ("Ltd", "Ltd.", "Limited", "LLC", "Inc.", "Corp.", "Co.", "PLC", "L.L.C.", "LLP")
AR_COMPANY_WORDS = _words(
    "Noor Amal Salam Baraka Fajr Hilal Nakheel Khaleej Sahara Rawda Wafa Najma Waha Zahra Bayan "
    "Manar Rayan Sanabel Yasmin Jazeera Emirates Arabian Gulf Nile Levant Orient Falcon Pearl"
)
AR_FORMS = ("LLC", "FZE", "FZCO", "FZ-LLC", "Co.", "W.L.L.", "S.A.L.", "Est.", "L.L.C.")

# Company name parts in Cyrillic: stems compounded as Soviet and post-Soviet firms are named.
CYR_STEM_PARTS = _words(
    "Хим Фарм Нефте Газ Агро Пром Торг Снаб Сервис Трейд Реактив Синтез Техно Транс Инвест Строй "
    "Мед Био Эко Энерго Металл Урал Сибирь Волга Днепр Алтай Байкал Север Восток Азот Полимер "
    "Лаб Альфа Вектор Орион Гранит Каскад Меридиан Спектр Импульс Стандарт Профи Глобал Интер "
    "Кама Ока Дон Амур Нева Арктик Карат Рубин Сапфир Титан Кристалл Гамма Дельта Омега Сигма"
)
CYR_SECTORS = (
    "Химпром",
    "Торговый Дом",
    "ТД",
    "Трейдинг",
    "Логистик",
    "Групп",
    "Химия",
    "Фарма",
    "Импорт-Экспорт",
    "Реактивы",
    "Снабжение",
    "Холдинг",
    "Индастриз",
    "Компани",
)
CYR_FORMS: dict[str, tuple[str, ...]] = {
    "RU": ("ООО", "АО", "ПАО", "ЗАО", "ОАО"),
    "UA": ("ТОВ", "ПрАТ", "ПАТ"),
    "BY": ("ООО", "ОАО", "ЧУП", "ОДО"),
    "KZ": ("ТОО", "АО"),
    "UZ": ("МЧЖ", "ООО", "АЖ"),
}
CYR_FORMS_LATIN: dict[str, tuple[str, ...]] = {
    "RU": ("LLC", "JSC", "PJSC", "CJSC", "OJSC", "OOO", "AO", "Limited Liability Company"),
    "UA": ("LLC", "TOV", "PrJSC", "PJSC", "Private Joint Stock Company"),
    "BY": ("LLC", "OJSC", "ChUP", "OOO"),
    "KZ": ("LLP", "TOO", "JSC", "Limited Liability Partnership"),
    "UZ": ("LLC", "MChJ", "OOO", "XK", "JSC"),
}
CYR_SECTOR_EN = {
    "Химпром": "Chemical Industry",
    "Торговый Дом": "Trading House",
    "ТД": "Trading House",
    "Трейдинг": "Trading",
    "Логистик": "Logistics",
    "Групп": "Group",
    "Химия": "Chemicals",
    "Фарма": "Pharma",
    "Импорт-Экспорт": "Import-Export",
    "Реактивы": "Reagents",
    "Снабжение": "Supply",
    "Холдинг": "Holding",
    "Индастриз": "Industries",
    "Компани": "Company",
}
PL_STEMS = _words(
    "Azoty Chemipol Polchem Organika Wistil Śląsk Kraków Gdańsk Łódź Wrocław Poznań Mazowsze "
    "Polfa Synthos Boryszew Chemland Amerpol Polmex Elchem Chemet Zachem Rokita Ciech Pollena"
)
PL_PATTERNS = (
    "{s} Sp. z o.o.",
    "Zakłady Chemiczne {s} S.A.",
    "{s} Chemia Sp. z o.o.",
    "Przedsiębiorstwo Handlowe {s} Sp. z o.o.",
    "{s} Logistyka Sp. z o.o.",
    "{s} S.A.",
    "{s} Import-Eksport Sp. z o.o.",
    "{s} Farmacja Sp. z o.o.",
)
CS_STEMS = _words(
    "Spolchemie Lovochemie Synthesia Precheza Draslovka Chemopetrol Fatra Moravia Bohemia Praha "
    "Brno Ostrava Plzeň Zlín Labe Vltava Chempro Chemoprojekt Severochema Chemotrade"
)
CS_PATTERNS = (
    "{s} s.r.o.",
    "{s} a.s.",
    "Chemické závody {s} a.s.",
    "{s} Chemie s.r.o.",
    "{s} Obchodní s.r.o.",
    "{s} Logistika s.r.o.",
)
TR_STEMS = _words(
    "Anadolu Ege Marmara Başak Yıldız Akdeniz Karadeniz Toros Aksa Petkim Koruma Kimteks "
    "Dora Ersan Polisan Boytek Tekkim Ozkim Kimpa Akkim Bursa İzmir Konya Adana Kocaeli"
)
TR_PATTERNS = (
    "{s} Kimya Sanayi ve Ticaret A.Ş.",
    "{s} Dış Ticaret Ltd. Şti.",
    "{s} İlaç San. Tic. A.Ş.",
    "{s} Lojistik A.Ş.",
    "{s} Kimya A.Ş.",
    "{s} İthalat İhracat Ltd. Şti.",
    "{s} Kimya Ltd. Şti.",
)
DE_STEMS = _words(
    "Rhein Nord Süd Elbe Bayern Sachsen Ruhr Main Chemtrade Chemlog Weser Donau Alpen Harz "
    "Taunus Schwarzwald Ostsee Nordsee Lausitz Spree"
)
DE_PATTERNS = (
    "{s} Chemie GmbH",
    "{s} Pharma AG",
    "{s} Handels GmbH",
    "{s} Logistik GmbH & Co. KG",
    "{s} Import-Export GmbH",
    "{s} Chemikalien GmbH",
    "{s} Laborbedarf GmbH",
    "{s} AG",
)
FR_STEMS = _words(
    "Rhône Loire Seine Provence Bretagne Alsace Normandie Atlantique Lyon Marseille Chimex "
    "Pharmalys Synthèse Alpes Garonne Aquitaine Chimirec Labosud"
)
FR_PATTERNS = (
    "{s} Chimie SARL",
    "{s} Pharma SAS",
    "Société {s} SA",
    "{s} Import-Export SARL",
    "Laboratoires {s} SA",
    "{s} Négoce SARL",
    "{s} Logistique SAS",
)
BALKAN_STEMS = _words(
    "Hemija Hemofarm Galenika Zagreb Beograd Sarajevo Ljubljana Novi Sad Podgorica Skopje Krka "
    "Pliva Belinka Helios Zorka Prva Hemikal Farmakom Hemoprom Dunav Sava Drina Morava"
)
BALKAN_PATTERNS = ("{s} d.o.o.", "{s} Trade d.o.o.", "{s} Hemija d.o.o.", "{s} d.d.", "{s} a.d.")
GR_STEMS = _words("Ελληνικά Αιγαίο Όλυμπος Αθηνά Μακεδονία Κρήτη Ερμής Ποσειδών Ήλιος Δήλος")
GR_SECTORS = _words("Χημικά Φάρμακα Εμπορική Βιομηχανία")
NL_STEMS = (*NL_SURNAMES, "Rotterdam", "Holland", "Nederland", "Benelux", "Delta", "Amstel")
NL_PATTERNS = (
    "{s} Chemie B.V.",
    "{s} Trading B.V.",
    "{s} Logistics B.V.",
    "{s} Holding N.V.",
    "{s} Chemicals B.V.",
    "{s} Pharma B.V.",
)


# --- Syllables for the long tail of surnames and company stems ------------------------------
_CYR_SYLLABLES = _words(
    "ба бо ве во га го да до за зо ка ко ла ло ма мо на но па по ра ро са со та то фа ха ча ша "
    "шу жу лу ру ту ми ли ки зи бе ре те се не гу ду бу ку му ну су пу ху чу ю я"
)
_CYR_CODAS = ("", "р", "л", "н", "к", "т", "ш", "д", "в", "с", "м", "х", "б")
_LAT_SYLLABLES = _words(
    "ba be bo ka ko ki la le lo li ma me mo na ne no ra re ro ri sa se so ta te to va ve vo za "
    "zo da de do ga go pa pe po fa fe ha he ja je mi ni pi si ti zi ku lu mu nu ru su tu wa wo"
)
_LAT_CODAS = ("", "r", "l", "n", "k", "t", "s", "d", "m", "z", "ch", "sz", "w", "x")


def _zipf(values: Sequence[str], exponent: float = 0.9) -> Callable[[random.Random], str]:
    """A picker that draws common values often and rare ones seldom, as in real name lists."""
    cumulative = list(
        itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(len(values)))
    )

    def pick(rng: random.Random) -> str:
        return rng.choices(values, cum_weights=cumulative)[0]

    return pick


def _zipf_groups(
    values: Sequence[tuple[str, ...]], exponent: float = 0.9
) -> Callable[[random.Random], tuple[str, ...]]:
    cumulative = list(
        itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(len(values)))
    )

    def pick(rng: random.Random) -> tuple[str, ...]:
        return rng.choices(values, cum_weights=cumulative)[0]

    return pick


def _root(rng: random.Random, syllables: Sequence[str], codas: Sequence[str]) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.randint(1, 2))) + rng.choice(codas)


_CYR_SUFFIXES = {
    "ru": ("ов", "ев", "ин", "ский", "цев", "ихин", "ников", "енков"),
    "uk": ("енко", "чук", "ук", "ський", "ич", "як"),
    "be": ("ка", "ёнак", "овіч", "скі", "ік"),
    "kk": ("баев", "беков", "ов", "ұлы", "ханов"),
    "uz": ("ов", "ев", "жонов", "қулов"),
}


def _synthetic_cyr_surname(rng: random.Random, lang: str) -> str:
    return (_root(rng, _CYR_SYLLABLES, _CYR_CODAS) + rng.choice(_CYR_SUFFIXES[lang])).capitalize()


def _feminine_cyr(surname: str) -> str:
    for masculine, feminine in (
        ("ский", "ская"),
        ("цкий", "цкая"),
        ("ський", "ська"),
        ("ов", "ова"),
        ("ев", "ева"),
        ("ёв", "ёва"),
        ("ин", "ина"),
        ("оў", "ова"),
        ("скі", "ская"),
        ("ұлы", "қызы"),
    ):
        if surname.endswith(masculine):
            return surname[: -len(masculine)] + feminine
    return surname


def _patronymic(father: str, lang: str, female: bool) -> str:
    if lang == "kk":
        return father + (" қызы" if female else " ұлы")
    stem = father.replace("ё", "е")
    if stem.endswith("ий") and stem not in ("Дмитрий", "Георгий", "Григорий", "Андрій", "Сергій"):
        stem = stem[:-2] + "ь"
        ending = "евна" if female else "евич"
    elif stem.endswith(("й", "ь")):
        stem = stem[:-1]
        ending = "евна" if female else "евич"
    elif stem.endswith(("а", "я", "о")):
        stem = stem[:-1]
        ending = "ична" if female else "ич"
    else:
        ending = "овна" if female else "ович"
    if lang == "uk":
        ending = ending.replace("овна", "івна").replace("евна", "ївна")
    return stem + ending


@dataclass(frozen=True)
class _CyrCulture:
    country: str
    lang: str
    male: Callable[[random.Random], str]
    female: Callable[[random.Random], str]
    surname: Callable[[random.Random], str]


_CYR_CULTURES = {
    "RU": _CyrCulture("RU", "ru", _zipf(RU_MALE), _zipf(RU_FEMALE), _zipf(RU_SURNAMES, 0.7)),
    "UA": _CyrCulture("UA", "uk", _zipf(UK_MALE), _zipf(UK_FEMALE), _zipf(UK_SURNAMES, 0.7)),
    "BY": _CyrCulture("BY", "be", _zipf(BE_MALE), _zipf(BE_FEMALE), _zipf(BE_SURNAMES, 0.7)),
    "KZ": _CyrCulture("KZ", "kk", _zipf(KK_MALE), _zipf(KK_FEMALE), _zipf(KK_SURNAMES, 0.7)),
    "UZ": _CyrCulture("UZ", "uz", _zipf(UZ_MALE), _zipf(UZ_FEMALE), _zipf(UZ_SURNAMES, 0.7)),
}


def _distinct(
    rng: random.Random, candidates: Sequence[str], exclude: str, count: int
) -> tuple[str, ...]:
    """Up to `count` different names from `candidates`, none equal to `exclude`."""
    unique = [c for c in dict.fromkeys(candidates) if c != exclude]
    rng.shuffle(unique)
    return tuple(unique[:count])


def _alias_count(rng: random.Random) -> int:
    # About 1.7 aliases on average; a few entities carry many (sanctions lists do).
    return rng.choices((0, 1, 2, 3, 4, 6), weights=(8, 38, 30, 15, 6, 3))[0]


class _Generator:
    """Draws entities of each culture; one instance per seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pl_surname = _zipf(PL_SURNAMES, 0.7)
        self.cs_surname = _zipf(CS_SURNAMES, 0.7)
        self.tr_surname = _zipf(TR_SURNAMES, 0.7)
        self.de_surname = _zipf(DE_SURNAMES, 0.7)
        self.fr_surname = _zipf(FR_SURNAMES, 0.7)
        self.gr_surname = _zipf(GR_SURNAMES, 0.7)
        self.in_surname = _zipf(IN_SURNAMES, 0.8)
        self.cn_surname = _zipf(CN_SURNAMES, 1.0)
        self.ar_male = _zipf_groups(AR_MALE, 1.0)
        self.ar_family = _zipf_groups(AR_FAMILIES, 0.7)
        self.cultures: list[tuple[str, Callable[[], tuple[str, EntityType, tuple[str, ...]]]]] = [
            ("RU", lambda: self.cyrillic("RU")),
            ("UA", lambda: self.cyrillic("UA")),
            ("BY", lambda: self.cyrillic("BY")),
            ("KZ", lambda: self.cyrillic("KZ")),
            ("UZ", lambda: self.cyrillic("UZ")),
            ("PL", self.polish),
            ("CZ", self.czech),
            ("TR", self.turkish),
            ("DE", self.german),
            ("FR", self.french),
            ("GR", self.greek),
            ("CN", self.chinese),
            ("AE", self.arabic),
            ("IN", self.indian),
            ("NL", self.dutch),
            ("RS", self.balkan),
            ("GB", self.english),
        ]
        self.culture_weights = (
            18,
            7,
            3,
            5,
            4,
            5,
            3,
            7,
            6,
            4,
            3,
            12,
            9,
            5,
            3,
            2,
            4,
        )

    # Persons and companies of the post-Soviet states, in Cyrillic with Latin aliases.
    def cyrillic(self, country: str) -> tuple[str, EntityType, tuple[str, ...]]:
        rng, culture = self.rng, _CYR_CULTURES[country]
        lang = culture.lang
        systems = list(_SYSTEMS)
        if rng.random() < 0.45:
            female = rng.random() < 0.3
            first = culture.female(rng) if female else culture.male(rng)
            surname = (
                culture.surname(rng) if rng.random() < 0.55 else _synthetic_cyr_surname(rng, lang)
            )
            if female:
                surname = _feminine_cyr(surname)
            patronymic = _patronymic(culture.male(rng), lang, female) if rng.random() < 0.7 else ""
            parts = [surname, first, patronymic] if patronymic else [surname, first]
            name = " ".join(parts)
            candidates = []
            for _ in range(_alias_count(rng)):
                system = rng.choice(systems)
                latin = [transliterate(p, system, lang) for p in parts]
                order = rng.random()
                if order < 0.4:
                    latin = latin[1:] + latin[:1]  # first [patronymic] surname
                elif order < 0.6 and len(latin) == 3:
                    latin = [latin[1], latin[0]]  # first surname
                alias = " ".join(latin)
                if rng.random() < 0.15:
                    alias = alias.upper()
                candidates.append(alias)
            return name, EntityType.person, _distinct(rng, candidates, name, 6)
        stem = "".join(rng.choice(CYR_STEM_PARTS) for _ in range(rng.choice((1, 2, 2))))
        stem = stem[0] + stem[1:].lower()
        sector = rng.choice(CYR_SECTORS) if rng.random() < 0.6 else ""
        body = f"{stem} {sector}".strip() if rng.random() < 0.5 else f"{sector} {stem}".strip()
        form = rng.choice(CYR_FORMS[country])
        name = f"{form} «{body}»" if rng.random() < 0.7 else f"{body} {form}"
        candidates = []
        for _ in range(_alias_count(rng)):
            system = rng.choice(("bgn", "bgn", "icao", "de", "fr"))
            latin_stem = transliterate(stem, system, lang)
            if sector and rng.random() < 0.5:
                latin_body = f"{latin_stem} {CYR_SECTOR_EN[sector]}"
            else:
                latin_body = transliterate(body, system, lang)
            latin_form = rng.choice(CYR_FORMS_LATIN[country])
            alias = (
                f'{latin_form} "{latin_body}"'
                if rng.random() < 0.5
                else f"{latin_body} {latin_form}"
            )
            candidates.append(alias.upper() if rng.random() < 0.1 else alias)
        return name, EntityType.company, _distinct(rng, candidates, name, 6)

    def _latin_person(
        self,
        male: Sequence[str],
        female: Sequence[str],
        surname: str,
        feminine: Callable[[str], str],
        variants: Sequence[Callable[[str], str]],
    ) -> tuple[str, EntityType, tuple[str, ...]]:
        rng = self.rng
        is_female = rng.random() < 0.3
        first = rng.choice(female if is_female else male)
        if is_female:
            surname = feminine(surname)
        parts = [first, surname]
        if rng.random() < 0.2:
            parts.insert(1, rng.choice(female if is_female else male))
        name = " ".join(parts)
        candidates = []
        for _ in range(_alias_count(rng)):
            form = rng.choice(variants)(name)
            roll = rng.random()
            if roll < 0.25:
                words = form.split()
                form = f"{words[-1]}, {' '.join(words[:-1])}"
            elif roll < 0.4:
                form = form.upper()
            elif roll < 0.55 and len(parts) == 3:
                words = form.split()
                form = f"{words[0]} {words[-1]}"
            candidates.append(form)
        return name, EntityType.person, _distinct(rng, candidates, name, 6)

    def _latin_company(
        self, stems: Sequence[str], patterns: Sequence[str], surname: Callable[[random.Random], str]
    ) -> tuple[str, EntityType, tuple[str, ...]]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            stem = rng.choice(stems)
        elif roll < 0.7:
            stem = surname(rng)
        else:
            stem = _root(rng, _LAT_SYLLABLES, _LAT_CODAS).capitalize() + rng.choice(
                ("chem", "pharm", "trade", "log", "tex", "pol", "med", "lab", "")
            )
        pattern = rng.choice(patterns)
        name = pattern.format(s=stem)
        candidates = []
        for _ in range(_alias_count(rng)):
            variant = rng.random()
            if variant < 0.35:
                candidates.append(strip_diacritics(rng.choice(patterns).format(s=stem)))
            elif variant < 0.6:
                candidates.append(strip_diacritics(name))
            elif variant < 0.8:
                sector = rng.choice(EN_SECTORS)
                candidates.append(f"{strip_diacritics(stem)} {sector} {rng.choice(EN_FORMS)}")
            else:
                candidates.append(name.upper())
        return name, EntityType.company, _distinct(rng, candidates, name, 6)

    def _mixed(
        self,
        person: Callable[[], tuple[str, EntityType, tuple[str, ...]]],
        company: Callable[[], tuple[str, EntityType, tuple[str, ...]]],
        person_share: float = 0.45,
    ) -> tuple[str, EntityType, tuple[str, ...]]:
        return person() if self.rng.random() < person_share else company()

    def _slavic_feminine(self, surname: str) -> str:
        for masculine, feminine in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
            if surname.endswith(masculine):
                return surname[: -len(masculine)] + feminine
        return surname

    @staticmethod
    def _czech_feminine(surname: str) -> str:
        if surname.endswith("ý"):
            return surname[:-1] + "á"
        if surname.endswith("a"):
            return surname[:-1] + "ová"
        return surname + "ová"

    def polish(self) -> tuple[str, EntityType, tuple[str, ...]]:
        rng = self.rng

        def surname() -> str:
            if rng.random() < 0.6:
                return self.pl_surname(rng)
            return (
                _root(rng, _LAT_SYLLABLES, _LAT_CODAS)
                + rng.choice(("ski", "wski", "wicz", "czyk", "ak", "ek"))
            ).capitalize()

        return self._mixed(
            lambda: self._latin_person(
                PL_MALE, PL_FEMALE, surname(), self._slavic_feminine, (strip_diacritics, str)
            ),
            lambda: self._latin_company(PL_STEMS, PL_PATTERNS, lambda r: self.pl_surname(r)),
        )

    def czech(self) -> tuple[str, EntityType, tuple[str, ...]]:
        return self._mixed(
            lambda: self._latin_person(
                CS_MALE,
                CS_FEMALE,
                self.cs_surname(self.rng),
                self._czech_feminine,
                (strip_diacritics,),
            ),
            lambda: self._latin_company(CS_STEMS, CS_PATTERNS, self.cs_surname),
        )

    def turkish(self) -> tuple[str, EntityType, tuple[str, ...]]:
        rng = self.rng

        def surname() -> str:
            if rng.random() < 0.7:
                return self.tr_surname(rng)
            return (
                _root(rng, _LAT_SYLLABLES, _LAT_CODAS)
                + rng.choice(("oğlu", "er", "can", "türk", "soy", "dağ"))
            ).capitalize()

        return self._mixed(
            lambda: self._latin_person(TR_MALE, TR_FEMALE, surname(), str, (strip_diacritics,)),
            lambda: self._latin_company(TR_STEMS, TR_PATTERNS, self.tr_surname),
        )

    def german(self) -> tuple[str, EntityType, tuple[str, ...]]:
        return self._mixed(
            lambda: self._latin_person(
                DE_MALE,
                DE_FEMALE,
                self.de_surname(self.rng),
                str,
                (german_umlauts, strip_diacritics),
            ),
            lambda: self._latin_company(DE_STEMS, DE_PATTERNS, self.de_surname),
        )

    def french(self) -> tuple[str, EntityType, tuple[str, ...]]:
        return self._mixed(
            lambda: self._latin_person(
                FR_MALE, FR_FEMALE, self.fr_surname(self.rng), str, (strip_diacritics,)
            ),
            lambda: self._latin_company(FR_STEMS, FR_PATTERNS, self.fr_surname),
        )

    def balkan(self) -> tuple[str, EntityType, tuple[str, ...]]:
        return self._latin_company(BALKAN_STEMS, BALKAN_PATTERNS, self.cs_surname)

    def greek(self) -> tuple[str, EntityType, tuple[str, ...]]:
        rng = self.rng
        if rng.random() < 0.6:
            female = rng.random() < 0.3
            first = rng.choice(GR_FEMALE if female else GR_MALE)
            surname = self.gr_surname(rng)
            if female:
                surname = re.sub("ος$", "ου", re.sub("ης$", "η", surname))
            name = f"{first} {surname}"
            candidates = []
            for _ in range(max(1, _alias_count(rng))):
                latin = transliterate_greek(name, rng.choice(("elot", "elot", "phon")))
                if rng.random() < 0.3:
                    first_l, last_l = latin.split(" ", 1)
                    latin = f"{last_l} {first_l}"
                candidates.append(latin.upper() if rng.random() < 0.2 else latin)
            return name, EntityType.person, _distinct(rng, candidates, name, 6)
        stem = rng.choice(GR_STEMS)
        sector = rng.choice(GR_SECTORS)
        name = f"{stem} {sector} Α.Ε."
        candidates = [
            f"{transliterate_greek(f'{stem} {sector}', rng.choice(('elot', 'phon')))} "
            f"{rng.choice(('S.A.', 'SA', 'A.E.'))}"
            for _ in range(max(1, _alias_count(rng)))
        ]
        return name, EntityType.company, _distinct(rng, candidates, name, 6)

    def chinese(self) -> tuple[str, EntityType, tuple[str, ...]]:
        rng = self.rng
        syllables = CN_SYLLABLES
        if rng.random() < 0.25:
            surname = self.cn_surname(rng)
            given = [rng.choice(syllables) for _ in range(rng.choice((1, 2, 2)))]
            joined = "".join(given).capitalize()
            name = f"{surname} {joined}"
            candidates = [f"{joined} {surname}", f"{surname.upper()} {joined}"]
            if len(given) == 2:
                candidates += [
                    f"{surname} {given[0].capitalize()}-{given[1]}",
                    f"{surname} {given[0].capitalize()} {given[1].capitalize()}",
                ]
            return name, EntityType.person, _distinct(rng, candidates, name, _alias_count(rng))
        brand = "".join(rng.choice(syllables) for _ in range(2)).capitalize()
        place = rng.choice(CN_PLACES)
        sector = rng.choice(CN_SECTORS)
        group = " Group" if rng.random() < 0.1 else ""
        name = f"{place} {brand} {sector}{group} Co., Ltd."
        candidates = [
            f"{brand} {sector} Co., Ltd.",
            f"{place} {brand} {sector} Company Limited",
            f"{place} {brand} {sector} Co. Ltd",
            f"{place.upper()} {brand.upper()} {sector.upper()} CO., LTD.",
            f"{brand} {sector} ({place}) Co., Ltd.",
        ]
        return name, EntityType.company, _distinct(rng, candidates, name, _alias_count(rng))

    def arabic(self) -> tuple[str, EntityType, tuple[str, ...]]:
        rng = self.rng
        if rng.random() < 0.55:
            female = rng.random() < 0.2
            first = rng.choice(AR_FEMALE) if female else self.ar_male(rng)
            father = self.ar_male(rng) if rng.random() < 0.5 else ()
            family = self.ar_family(rng)

            def spell() -> str:
                words = [rng.choice(first)]
                if father:
                    words += [
                        rng.choice(("bin", "ibn", "bint") if female else ("bin", "ibn")),
                        rng.choice(father),
                    ]
                article = rng.choice(("al-", "Al-", "Al ", "el-", "El ", ""))
                words.append(article + rng.choice(family))
                return " ".join(words)

            name = spell()
            candidates = [spell() for _ in range(_alias_count(rng) + 1)]
            return name, EntityType.person, _distinct(rng, candidates, name, 6)
        word = rng.choice(AR_COMPANY_WORDS)
        sector = rng.choice(EN_SECTORS)
        if rng.random() < 0.4:
            word = f"{rng.choice(('Al', 'Al-', 'Dar', 'Bait'))} {word}".replace("- ", "-")
        owner = rng.choice(self.ar_family(rng))
        body = f"{word} {sector}" if rng.random() < 0.6 else f"{owner} {word} {sector}"
        name = f"{body} {rng.choice(AR_FORMS)}"
        candidates = [f"{body} {rng.choice(AR_FORMS)}" for _ in range(_alias_count(rng))]
        return name, EntityType.company, _distinct(rng, candidates, name, 6)

    def indian(self) -> tuple[str, EntityType, tuple[str, ...]]:
        rng = self.rng
        if rng.random() < 0.35:
            female = rng.random() < 0.3
            first = rng.choice(IN_FEMALE if female else IN_MALE)
            middle = rng.choice(("Kumar", "Prasad", "Lal", "Chandra", "")) if not female else ""
            surname = self.in_surname(rng)
            name = " ".join(p for p in (first, middle, surname) if p)
            candidates = [f"{first} {surname}", f"{surname} {first}", name.upper()]
            return name, EntityType.person, _distinct(rng, candidates, name, _alias_count(rng))
        stem = rng.choice(IN_STEMS)
        if rng.random() < 0.3:
            stem = f"{stem} {rng.choice(IN_STEMS)}"
        sector = rng.choice(IN_SECTORS)
        forms = ("Pvt. Ltd.", "Private Limited", "Limited", "Ltd.", "Pvt Ltd")
        name = f"{stem} {sector} {rng.choice(forms)}"
        candidates = [f"{stem} {sector} {form}" for form in forms]
        candidates.append(f"M/s {stem} {sector}")
        return name, EntityType.company, _distinct(rng, candidates, name, _alias_count(rng))

    def dutch(self) -> tuple[str, EntityType, tuple[str, ...]]:
        rng = self.rng
        if rng.random() < 0.35:
            female = rng.random() < 0.3
            first = rng.choice(NL_FEMALE if female else NL_MALE)
            surname = rng.choice(NL_SURNAMES)
            name = f"{first} {surname}"
            candidates = [f"{first[0]}. {surname}", f"{surname}, {first}", name.upper()]
            return name, EntityType.person, _distinct(rng, candidates, name, _alias_count(rng))
        stem = rng.choice(NL_STEMS)
        pattern = rng.choice(NL_PATTERNS)
        name = pattern.format(s=stem)
        candidates = [p.format(s=stem).replace("B.V.", "BV") for p in NL_PATTERNS[:3]]
        return name, EntityType.company, _distinct(rng, candidates, name, _alias_count(rng))

    def english(self) -> tuple[str, EntityType, tuple[str, ...]]:
        rng = self.rng
        if rng.random() < 0.5:
            brand = "".join(rng.choice(EN_BRAND_PARTS) for _ in range(2))
            brand = brand[0] + brand[1:].lower()
        else:
            brand = rng.choice(EN_WORDS)
            if rng.random() < 0.5:
                brand += " " + rng.choice(EN_BRAND_PARTS)
        sector = rng.choice(EN_SECTORS)
        name = f"{brand} {sector} {rng.choice(EN_FORMS)}"
        candidates = [f"{brand} {sector} {form}" for form in EN_FORMS]
        candidates.append(f"{brand.upper()} {sector.upper()}")
        return name, EntityType.company, _distinct(rng, candidates, name, _alias_count(rng))

    def entity(self) -> tuple[str, str, EntityType, tuple[str, ...]]:
        index = self.rng.choices(range(len(self.cultures)), weights=self.culture_weights)[0]
        country, make = self.cultures[index]
        if country == "AE":
            country = self.rng.choice(("AE", "AE", "SA", "EG", "JO", "LB", "IQ", "SY", "OM"))
        elif country == "RS":
            country = self.rng.choice(("RS", "HR", "SI", "BA", "ME", "MK"))
        elif country == "GB":
            country = self.rng.choice(("GB", "US", "CY", "MT", "HK", "SG"))
        name, entity_type, aliases = make()
        return country, name, entity_type, aliases


def generate_entities(count: int, seed: int = 42) -> Iterator[GeneratedEntity]:
    """`count` reproducible listed entities: persons and companies of the OSCE region and beyond."""
    generator = _Generator(random.Random(seed))
    for number in range(count):
        country, name, entity_type, aliases = generator.entity()
        yield GeneratedEntity(f"E{seed}-{number:07d}", name, entity_type, aliases, country)


def all_names(entities: Sequence[GeneratedEntity]) -> Iterator[tuple[str, EntityType]]:
    """Every name and alias of the entities, in order, as the name index takes them."""
    for entity in entities:
        yield entity.name, entity.entity_type
        for alias in entity.aliases:
            yield alias, entity.entity_type


# --- Queries --------------------------------------------------------------------------------
_KEYBOARD_NEIGHBOURS = {
    "a": "sqz",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "wa",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "xa",
}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_GREEK = re.compile(r"[\u0370-\u03ff]")
_LATIN_FORMS = (
    "LLC",
    "Ltd",
    "Ltd.",
    "GmbH",
    "Sp. z o.o.",
    "A.Ş.",
    "SARL",
    "d.o.o.",
    "Co., Ltd.",
    "S.A.",
    "JSC",
    "OOO",
    "TOO",
    "B.V.",
    "Inc.",
    "Limited",
)
_KNOWN_FORMS = re.compile(
    r"\s*(?:\b(?:LLC|Ltd\.?|GmbH(?: & Co\. KG)?|Sp\. z o\.o\.|A\.Ş\.|Ltd\. Şti\.|SARL|SAS|SA|"
    r"d\.o\.o\.|Co\., Ltd\.|Co\. Ltd|Company Limited|S\.A\.|JSC|PJSC|OOO|TOO|LLP|B\.V\.|BV|N\.V\.|"
    r"Inc\.|Limited|Pvt\. Ltd\.|Private Limited|AG|s\.r\.o\.|a\.s\.|FZE|FZCO)(?=\s|$)|"
    r"(?:ООО|ТОО|АО|ПАО|ЗАО|ОАО|ТОВ|МЧЖ|ЧУП)\s+)"
)


def _typo(rng: random.Random, name: str) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 4:
        return name + rng.choice("aeo")
    i = rng.choice(letters[1:])
    kind = rng.random()
    c = name[i]
    if kind < 0.3:  # a neighbouring key
        replacement = rng.choice(_KEYBOARD_NEIGHBOURS.get(c.lower(), "aeiou"))
        return name[:i] + (replacement.upper() if c.isupper() else replacement) + name[i + 1 :]
    if kind < 0.55:  # a dropped letter
        return name[:i] + name[i + 1 :]
    if kind < 0.8:  # a doubled letter
        return name[:i] + c + name[i:]
    if i + 1 < len(name) and name[i + 1].isalpha():  # two letters swapped
        return name[:i] + name[i + 1] + c + name[i + 2 :]
    return name[:i] + name[i + 1 :]


def _swap_words(rng: random.Random, name: str) -> str:
    words = name.replace(",", "").split()
    if len(words) < 2:
        return name
    if len(words) == 2 or rng.random() < 0.5:
        return " ".join(words[1:] + words[:1])
    rng.shuffle(words)
    return " ".join(words)


def _drop_middle(rng: random.Random, name: str) -> str | None:
    words = name.split()
    if len(words) < 3:
        return None
    del words[rng.randrange(1, len(words) - 1)]
    return " ".join(words)


def _change_legal_form(rng: random.Random, name: str) -> str:
    bare = _KNOWN_FORMS.sub(" ", name).replace("«", "").replace("»", "").replace('"', "")
    bare = " ".join(bare.split())
    form = rng.choice(_LATIN_FORMS)
    return f"{form} {bare}" if rng.random() < 0.3 else f"{bare} {form}"


def _perturb(rng: random.Random, entity: GeneratedEntity) -> tuple[str, str]:
    names = (entity.name, *entity.aliases)
    name = rng.choice(names)
    kind = rng.choices(
        (
            "exact",
            "typo",
            "transliteration",
            "word_order",
            "dropped_middle",
            "legal_form",
            "diacritics",
            "two_typos",
        ),
        weights=(10, 30, 15, 12, 8, 12, 8, 5),
    )[0]
    if kind == "transliteration":
        if _CYRILLIC.search(entity.name):
            system = rng.choice(_SYSTEMS)
            lang = {"UA": "uk", "BY": "be", "KZ": "kk", "UZ": "uz"}.get(entity.country, "ru")
            return transliterate(entity.name, system, lang), kind
        if _GREEK.search(entity.name):
            return transliterate_greek(entity.name, rng.choice(("elot", "phon"))), kind
        kind = "typo"
    if kind == "dropped_middle":
        if entity.entity_type is EntityType.person and (dropped := _drop_middle(rng, name)):
            return dropped, kind
        kind = "typo"
    if kind == "legal_form":
        if entity.entity_type is EntityType.company:
            return _change_legal_form(rng, name), kind
        kind = "typo"
    if kind == "diacritics":
        stripped = strip_diacritics(name)
        if stripped != name and not _CYRILLIC.search(name) and not _GREEK.search(name):
            return stripped, kind
        kind = "typo"
    if kind == "word_order":
        return _swap_words(rng, name), kind
    if kind == "typo":
        return _typo(rng, name), kind
    if kind == "two_typos":
        return _typo(rng, _typo(rng, name)), kind
    return name, "exact"


def generate_queries(
    entities: Sequence[GeneratedEntity], count: int, seed: int = 7, listed_share: float = 0.5
) -> list[GeneratedQuery]:
    """`count` customer names: about half perturbed listed names, half unlisted ones.

    The unlisted half is drawn from the same cultures and word lists (a second generator with
    another seed), so it shares first names, sector words and legal forms with the list, as the
    customers of a real order book do.
    """
    rng = random.Random(seed)
    unlisted = _Generator(random.Random(seed + 1_000_003))
    queries: list[GeneratedQuery] = []
    for _ in range(count):
        if entities and rng.random() < listed_share:
            entity = entities[rng.randrange(len(entities))]
            name, kind = _perturb(rng, entity)
            queries.append(
                GeneratedQuery(name, entity.entity_type, entity.country, entity.entity_id, kind)
            )
        else:
            country, name, entity_type, aliases = unlisted.entity()
            queries.append(
                GeneratedQuery(rng.choice((name, *aliases)), entity_type, country, None, "unlisted")
            )
    return queries
