//! What the calls on organizers' own designs and their pictures say when something is wrong.

use super::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DesignMessage {
    BadName,
    NameTaken(String),
    BuiltInName(String),
    UnknownDesign(String),
    NotValid(String),
    BadAsset,
    NotAPicture,
    PictureTooLarge {
        width: u32,
        height: u32,
        max: u32,
    },
    PictureTooManyPixels {
        width: u32,
        height: u32,
        max_megapixels: u64,
    },
    PictureDamaged(String),
    MissingPictures(String),
    UnknownElement(usize),
    NoPreview,
    UnknownEntry,
    /// Competitions still choose the design; it cannot be deleted until they choose another.
    InUse(String),
}

impl DesignMessage {
    pub fn text(&self, lang: Lang) -> String {
        use DesignMessage::*;
        use Lang::*;
        match (self, lang) {
            (BadName, Kk) => "дизайн атауы: 1–60 әріп, сан, «-» немесе «_»".into(),
            (BadName, Ru) => "имя макета: 1–60 букв, цифр, «-» или «_»".into(),
            (BadName, En) => "a design name is 1–60 letters, digits, \"-\" or \"_\"".into(),
            (NameTaken(n), Kk) => format!("«{n}» атты дизайн бар: басқа атау таңдаңыз"),
            (NameTaken(n), Ru) => format!("макет «{n}» уже есть: выберите другое имя"),
            (NameTaken(n), En) => format!("a design named \"{n}\" exists already: choose another name"),
            (BuiltInName(n), Kk) => format!("«{n}» — кірістірілген дизайн атауы: басқа атау таңдаңыз"),
            (BuiltInName(n), Ru) => format!("«{n}» — имя встроенного макета: выберите другое"),
            (BuiltInName(n), En) => format!("\"{n}\" is a built-in design's name: choose another"),
            (UnknownDesign(n), Kk) => format!("«{n}» дизайны жоқ (GET /api/v1/designs)"),
            (UnknownDesign(n), Ru) => format!("макета «{n}» нет (GET /api/v1/designs)"),
            (UnknownDesign(n), En) => format!("there is no design \"{n}\" (GET /api/v1/designs)"),
            (NotValid(d), Kk) => format!("дизайн дұрыс емес: {d}"),
            (NotValid(d), Ru) => format!("макет неверен: {d}"),
            (NotValid(d), En) => format!("the design is not valid: {d}"),
            (BadAsset, Kk) => "сурет атауы: 1–60 латын әрпі, сан, «-», «_» немесе «.»".into(),
            (BadAsset, Ru) => "имя картинки: 1–60 латинских букв, цифр, «-», «_» или «.»".into(),
            (BadAsset, En) => "a picture's name is 1–60 Latin letters, digits, \"-\", \"_\" or \".\"".into(),
            (NotAPicture, Kk) => "файл JPEG немесе PNG сурет емес".into(),
            (NotAPicture, Ru) => "файл не является картинкой JPEG или PNG".into(),
            (NotAPicture, En) => "the file is not a JPEG or PNG picture".into(),
            (PictureTooLarge { width, height, max }, Kk) => {
                format!("сурет {width} × {height} пиксель: бір жағы ең көбі {max} пиксель болуы керек")
            }
            (PictureTooLarge { width, height, max }, Ru) => {
                format!("картинка {width} × {height} пикселей: не более {max} пикселей по стороне")
            }
            (PictureTooLarge { width, height, max }, En) => {
                format!("the picture is {width} × {height} pixels: at most {max} pixels a side are accepted")
            }
            (PictureTooManyPixels { width, height, max_megapixels }, Kk) => format!(
                "сурет {width} × {height} пиксель: барлығы ең көбі {max_megapixels} мегапиксель болуы керек"
            ),
            (PictureTooManyPixels { width, height, max_megapixels }, Ru) => format!(
                "картинка {width} × {height} пикселей: не более {max_megapixels} мегапикселей всего"
            ),
            (PictureTooManyPixels { width, height, max_megapixels }, En) => format!(
                "the picture is {width} × {height} pixels: at most {max_megapixels} megapixels in all are accepted"
            ),
            (PictureDamaged(d), Kk) => format!("сурет бүлінген немесе толық жүктелмеген: {d}"),
            (PictureDamaged(d), Ru) => format!("картинка повреждена или загружена не полностью: {d}"),
            (PictureDamaged(d), En) => format!("the picture is damaged or cut short: {d}"),
            (MissingPictures(a), Kk) => format!("дизайн жүктелмеген суреттерді пайдаланады: {a}"),
            (MissingPictures(a), Ru) => format!("макет использует не загруженные картинки: {a}"),
            (MissingPictures(a), En) => format!("the design uses pictures not uploaded yet: {a}"),
            (UnknownElement(n), Kk) => format!("дизайнда {n}-элемент жоқ немесе оның өрісі жоқ"),
            (UnknownElement(n), Ru) => format!("в макете нет элемента {n} или у него нет такого поля"),
            (UnknownElement(n), En) => format!("the design has no element {n}, or it has no such field"),
            (NoPreview, Kk) => "PNG алдын ала қарау қолжетімсіз: серверде pdftoppm орнатылмаған".into(),
            (NoPreview, Ru) => "предпросмотр PNG недоступен: на сервере не установлен pdftoppm".into(),
            (NoPreview, En) => {
                "PNG previews are not available: pdftoppm is not installed on the server".into()
            }
            (UnknownEntry, Kk) => "бұл байқауда мұндай қатысушы жоқ".into(),
            (UnknownEntry, Ru) => "в этом конкурсе нет такой записи".into(),
            (UnknownEntry, En) => "the competition has no such entry".into(),
            (InUse(c), Kk) => format!("макетті мына байқаулар пайдаланады: {c}; алдымен оларға басқа макет таңдаңыз"),
            (InUse(c), Ru) => format!("макет выбран в конкурсах: {c}; сначала выберите для них другой"),
            (InUse(c), En) => format!("competitions use the design: {c}; choose another for them first"),
        }
    }
}
