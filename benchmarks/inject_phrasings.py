"""Boilerplate lines generated from categories (templates x vocabulary x morphology), for injection tests.

Not taken from the rule catalogue nor from the line model's vocabulary file: the words below were written
for this harness, per category, with the variation a site's wording has — imperative singular/plural
(شارك / شاركوا / شاركي), a conjunction or preposition clitic (و، ل، ب), hamza and alef forms (أ / ا / إ),
tanween written or not (تعليقاً / تعليقا), a verbal noun instead of the verb (مشاركة، إضافة), Arabic-Indic
or ASCII digits, and separators (":", "|", "-", "»").

``generate(n, seed)`` yields (category, line); the same seed gives the same lines.
"""

# A file of Arabic word lists: an alef is no Latin l, and each generated phrasing stays on one line.
# ruff: noqa: RUF001, RUF002, E501
from __future__ import annotations

import random
from collections.abc import Iterator

_NETWORKS = [
    "فيسبوك",
    "فيس بوك",
    "تويتر",
    "إنستغرام",
    "انستقرام",
    "يوتيوب",
    "واتساب",
    "تيليغرام",
    "تلجرام",
    "سناب شات",
    "لينكد إن",
    "تيك توك",
    "X",
]
_OBJECTS = ["الخبر", "المقال", "الموضوع", "هذا الخبر", "هذه المقالة", "القصة", "التقرير", "الفيديو"]
_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _num(rng: random.Random, lo: int, hi: int) -> str:
    n = str(rng.randint(lo, hi))
    return n.translate(_DIGITS) if rng.random() < 0.5 else n


def _hamza(rng: random.Random, word: str) -> str:
    if rng.random() < 0.4:
        return word.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
    return word


def _tanween(rng: random.Random, word: str) -> str:
    return word + "ً" if word.endswith("ا") and rng.random() < 0.5 else word


def _pick(rng: random.Random, items: list[str]) -> str:
    return items[rng.randrange(len(items))]


def share(rng: random.Random) -> str:
    verb = _pick(rng, ["شارك", "شاركوا", "شاركي", "انشر", "انشروا", "مشاركة", "قم بمشاركة", "ساهم في نشر"])
    obj = _pick(rng, [*_OBJECTS, ""])
    prep = _pick(rng, ["عبر", "على", "من خلال", "في", "مع أصدقائك على", ""])
    net = _pick(rng, _NETWORKS)
    return " ".join(x for x in (verb, obj, prep, net) if x)


def follow(rng: random.Random) -> str:
    verb = _pick(
        rng,
        [
            "تابعنا",
            "تابعونا",
            "تابعوا",
            "لمتابعتنا",
            "تابعوا صفحتنا",
            "تابعوا حسابنا",
            "انضم إلينا",
            "انضموا إلينا",
            "كن على تواصل معنا",
        ],
    )
    prep = _pick(rng, ["على", "عبر", "في", ""])
    nets = _pick(rng, _NETWORKS)
    if rng.random() < 0.4:
        nets += _pick(rng, [" و", " | ", "، "]) + _pick(rng, _NETWORKS)
    return " ".join(x for x in (verb, prep, nets) if x)


def comment(rng: random.Random) -> str:
    return _pick(
        rng,
        [
            f"{_pick(rng, ['اكتب', 'أكتب', 'اكتبوا', 'أضف', 'اضف', 'أضيفوا', 'اترك', 'اتركوا', 'شاركنا'])} "
            f"{_tanween(rng, _pick(rng, ['تعليقك', 'تعليقا', 'رأيك', 'ردا', 'تعليقاتكم', 'آراءكم']))}"
            f"{_pick(rng, ['', ' هنا', ' في الأسفل', ' أدناه'])}",
            f"{_pick(rng, ['عدد التعليقات', 'التعليقات', 'تعليقات القراء', 'آراء القراء'])}"
            f"{_pick(rng, ['', ': ' + _num(rng, 0, 99), ' (' + _num(rng, 0, 99) + ')'])}",
            f"{_pick(rng, ['لا توجد تعليقات', 'كن أول من يعلق', 'كن أول من يعلّق على', 'سجل دخولك للتعليق'])}"
            f"{_pick(rng, ['', ' على هذا الخبر', ' على الموضوع'])}",
            f"{_hamza(rng, 'إضافة')} {_pick(rng, ['تعليق', 'تعليقات', 'رد'])}",
        ],
    )


def cookie(rng: random.Random) -> str:
    return _pick(
        rng,
        [
            f"{_pick(rng, ['هذا الموقع', 'موقعنا', 'نحن'])} {_pick(rng, ['يستخدم', 'نستخدم', 'يستعمل'])} "
            f"{_pick(rng, ['الكوكيز', 'ملفات تعريف الارتباط', 'ملفات الكوكيز', 'الكعكات'])}"
            f"{_pick(rng, ['', ' لتحسين تجربتك', ' لتحسين تجربة التصفح'])}",
            f"{_pick(rng, ['بمواصلة التصفح', 'باستخدامك هذا الموقع', 'باستمرارك في التصفح'])} "
            f"{_pick(rng, ['فإنك توافق على', 'أنت توافق على', 'توافق على'])} "
            f"{_pick(rng, ['سياسة الخصوصية', 'استخدام ملفات تعريف الارتباط', 'سياسة الكوكيز'])}",
            f"{_pick(rng, ['أوافق', 'موافق', 'قبول', 'اقبل'])} {_pick(rng, ['', 'على ']) + 'ملفات تعريف الارتباط'}",
        ],
    )


def video(rng: random.Random) -> str:
    return _pick(
        rng,
        [
            f"{_pick(rng, ['شاهد', 'شاهدوا', 'شاهدي', 'مشاهدة'])} {_pick(rng, ['الفيديو', 'المقطع', 'الفيديو كاملا'])}"
            f"{_pick(rng, ['', ' هنا', ' على يوتيوب'])}",
            f"{_pick(rng, ['فيديو', 'بالفيديو', 'مقطع فيديو'])} {_pick(rng, ['|', '-', ':', ''])} "
            f"{_pick(rng, ['اضغط للمشاهدة', 'انقر للتشغيل', 'تشغيل الفيديو', 'مدة الفيديو ' + _num(rng, 1, 9) + ':' + _num(rng, 10, 59)])}",
            f"{_pick(rng, ['اضغط', 'انقر', 'إضغط'])} {_pick(rng, ['هنا', ''])} {_pick(rng, ['لمشاهدة الفيديو', 'للمشاهدة', 'لتشغيل المقطع'])}",
        ],
    )


def read_time(rng: random.Random) -> str:
    n = _num(rng, 1, 12)
    return _pick(
        rng,
        [
            f"{_pick(rng, ['وقت القراءة', 'مدة القراءة', 'زمن القراءة'])}{_pick(rng, [': ', ' '])}{n} "
            f"{_pick(rng, ['دقائق', 'دقيقة', 'د'])}",
            f"{_pick(rng, ['قراءة في', 'تقرأ في'])} {n} {_pick(rng, ['دقائق', 'دقيقة'])}",
            f"{_pick(rng, ['آخر تحديث', 'اخر تحديث', 'تم التحديث', 'نشر في'])}{_pick(rng, [': ', ' '])}"
            f"{_pick(rng, ['منذ ' + n + ' ساعات', 'منذ ' + n + ' دقائق', 'قبل ' + n + ' ساعة'])}",
        ],
    )


def copy_link(rng: random.Random) -> str:
    return (
        f"{_pick(rng, ['انسخ', 'انسخوا', 'نسخ', 'اضغط لنسخ'])} {_pick(rng, ['رابط', 'الرابط', 'رابط'])}"
        f"{_pick(rng, [' المقال', ' الخبر', ' الصفحة', ''])}{_pick(rng, ['', ' المختصر'])}"
    )


def copyright_(rng: random.Random) -> str:
    year = _num(rng, 2010, 2024)
    return _pick(
        rng,
        [
            f"{_pick(rng, ['جميع', 'كل', 'كافة'])} {_pick(rng, ['الحقوق', 'حقوق النشر', 'حقوق الطبع'])} "
            f"{_pick(rng, ['محفوظة', 'محفوظه'])}{_pick(rng, ['', ' © ' + year, ' ' + year])}",
            f"{_pick(rng, ['حقوق النشر', 'حقوق الطبع والنشر'])} {_pick(rng, ['محفوظة', 'محفوظة لـ', 'محفوظة للموقع'])}",
            f"© {year} {_pick(rng, ['جميع الحقوق محفوظة', 'الحقوق محفوظة'])}",
        ],
    )


def credit(rng: random.Random) -> str:
    agencies = [
        "أ ف ب",
        "ا ف ب",
        "رويترز",
        "أسوشيتد برس",
        "الأناضول",
        "د ب أ",
        "وكالات",
        "شينخوا",
        "AFP",
        "Reuters",
    ]
    return _pick(
        rng,
        [
            f"({_pick(rng, agencies)})",
            f"{_pick(rng, ['المصدر', 'المصادر', 'مصدر'])}{_pick(rng, [': ', ' - ', ' '])}{_pick(rng, agencies)}",
            f"{_pick(rng, ['تصوير', 'الصورة', 'عدسة'])}{_pick(rng, [': ', ' - '])}{_pick(rng, agencies)}",
            f"{_pick(rng, agencies)} / {_pick(rng, agencies)}",
        ],
    )


def date_line(rng: random.Random) -> str:
    months = [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ابريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
    ]
    day, year = _num(rng, 1, 28), _num(rng, 2012, 2024)
    return _pick(
        rng,
        [
            f"{day} {_pick(rng, months)} {year}",
            f"{_pick(rng, ['الأحد', 'الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت'])} "
            f"{day} {_pick(rng, months)} {year}",
            f"{day}/{_num(rng, 1, 12)}/{year}",
        ],
    )


def tags(rng: random.Random) -> str:
    words = ["السعودية", "الاقتصاد", "النفط", "كرة القدم", "الانتخابات", "التعليم", "الصحة", "الطقس", "مصر"]
    items = rng.sample(words, rng.randint(2, 4))
    return (
        f"{_pick(rng, ['الوسوم', 'وسوم', 'الكلمات المفتاحية', 'كلمات دالة', 'تاغات'])}{_pick(rng, [': ', ' '])}"
        + _pick(rng, ["، ", " - ", " | ", " "]).join(items)
    )


def newsletter(rng: random.Random) -> str:
    return (
        f"{_pick(rng, ['اشترك', 'اشتركوا', 'سجل', 'سجّل'])} {_pick(rng, ['في', 'ب', 'الآن في'])} "
        f"{_pick(rng, ['نشرتنا البريدية', 'النشرة الإخبارية', 'القائمة البريدية', 'نشرتنا اليومية'])}"
        f"{_pick(rng, ['', ' ليصلك كل جديد', ' مجانا'])}"
    )


def app(rng: random.Random) -> str:
    return (
        f"{_pick(rng, ['حمل', 'حمّل', 'حملوا', 'نزّل', 'تحميل'])} {_pick(rng, ['تطبيقنا', 'التطبيق', 'تطبيق الموقع'])}"
        f"{_pick(rng, ['', ' على هاتفك', ' مجانا', ' من متجر جوجل بلاي', ' على آب ستور'])}"
    )


CATEGORIES = {
    "share": share,
    "follow": follow,
    "comments": comment,
    "cookie": cookie,
    "video": video,
    "read_time": read_time,
    "copy_link": copy_link,
    "copyright": copyright_,
    "credit": credit,
    "date": date_line,
    "tags": tags,
    "newsletter": newsletter,
    "app": app,
}


def generate(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    rng = random.Random(seed)
    names = sorted(CATEGORIES)
    for i in range(n):
        cat = names[i % len(names)]
        line = " ".join(CATEGORIES[cat](rng).split())
        yield cat, _hamza(rng, line) if rng.random() < 0.2 else line
