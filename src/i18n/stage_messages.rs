//! What stages across organizations (`crate::stages`) say when they refuse, in three languages.

use super::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageMessage {
    /// The invitation link was used, revoked or has expired.
    LinkClosed,
    /// A competition cannot feed itself.
    SameCompetition,
    /// The competition already feeds this one.
    AlreadyLinked,
    /// The upper organizer revoked the invitation: nothing more can be sent.
    Revoked,
    /// The choice would send more than the invitation allows in a nomination and age group.
    OverQuota { group: String, quota: u32 },
    /// No entry matches the choice.
    NothingChosen,
    /// The forwarded entry already has a paper of the upper competition.
    HasPaper,
    /// The entry did not come from another organization.
    NotForwarded,
}

impl StageMessage {
    pub fn text(&self, lang: Lang) -> String {
        use Lang::*;
        use StageMessage::*;
        match (self, lang) {
            (LinkClosed, Kk) => "сілтеме жұмыс істемейді: ол пайдаланылған, кері қайтарылған немесе мерзімі өткен; ұйымдастырушыдан жаңасын сұраңыз".into(),
            (LinkClosed, Ru) => "ссылка не действует: она уже использована, отозвана или истекла; попросите организатора о новой".into(),
            (LinkClosed, En) => "the link does not work: it was used, revoked or has expired; ask the organizer for a new one".into(),
            (SameCompetition, Kk) => "байқау өзінің кезеңі бола алмайды".into(),
            (SameCompetition, Ru) => "конкурс не может быть этапом самого себя".into(),
            (SameCompetition, En) => "a competition cannot be a stage of itself".into(),
            (AlreadyLinked, Kk) => "бұл байқау осы кезеңге бұрын қосылған".into(),
            (AlreadyLinked, Ru) => "этот конкурс уже подключён к этому этапу".into(),
            (AlreadyLinked, En) => "this competition already feeds that stage".into(),
            (Revoked, Kk) => "жоғары кезеңнің ұйымдастырушысы шақыруды кері қайтарды: жіберуге болмайды".into(),
            (Revoked, Ru) => "организатор следующего этапа отозвал приглашение: отправлять больше нельзя".into(),
            (Revoked, En) => "the next stage's organizer revoked the invitation: nothing more can be sent".into(),
            (OverQuota { group, quota }, Kk) => format!("«{group}»: шақыру әр аталым мен жас тобынан ең көбі {quota} қатысушы жіберуге рұқсат етеді"),
            (OverQuota { group, quota }, Ru) => format!("«{group}»: приглашение позволяет отправить не более {quota} участников от номинации и возрастной группы"),
            (OverQuota { group, quota }, En) => format!("\"{group}\": the invitation allows at most {quota} entries per nomination and age group"),
            (NothingChosen, Kk) => "таңдауға сай қатысушы жоқ: жіберетін ешкім жоқ".into(),
            (NothingChosen, Ru) => "под выбор не подходит ни один участник: отправлять некого".into(),
            (NothingChosen, En) => "no entry matches the choice: there is nobody to send".into(),
            (HasPaper, Kk) => "бұл қатысушыға құжат берілген: алдымен құжатты кері қайтарыңыз".into(),
            (HasPaper, Ru) => "этому участнику уже выдан документ: сначала отзовите документ".into(),
            (HasPaper, En) => "this entry already has a paper: revoke the paper first".into(),
            (NotForwarded, Kk) => "бұл қатысушы басқа ұйымнан жіберілмеген".into(),
            (NotForwarded, Ru) => "этот участник не был направлен другой организацией".into(),
            (NotForwarded, En) => "this entry was not forwarded by another organization".into(),
        }
    }
}
