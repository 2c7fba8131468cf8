/**
 * What out-of-office replies say, in the languages helpdesks see most. The
 * subject prefixes are the ones mail clients write themselves (Outlook's
 * "Automatic reply:" in its localisations, Sieve vacation's "Auto:" per
 * RFC 5230 §4.5, Gmail/Apple "Out of Office"); the body phrases are the
 * openings of typical absence notes. Lower-case matching, Unicode-aware.
 */

/** Prefixes that clients put in front of the original subject. */
export const OOO_SUBJECT_PREFIXES = [
  'automatic reply', 'out of office', 'out of the office', 'auto',
  'automatische antwort', 'abwesenheitsnotiz', 'abwesenheit',
  'réponse automatique', 'absence', 'absent du bureau',
  'respuesta automática', 'fuera de la oficina', 'ausente',
  'risposta automatica', 'fuori ufficio', 'assente',
  'automatisch antwoord', 'afwezig', 'niet aanwezig',
  'resposta automática', 'fora do escritório',
  'autosvar', 'frånvaro', 'fravær', 'automaattinen vastaus', 'poissa',
  'automatyczna odpowiedź', 'nieobecność', 'automatická odpověď', 'nepřítomnost',
  'automatikus válasz', 'otomatik yanıt', 'автоматический ответ', 'нет на месте',
  'αυτόματη απάντηση', '自动回复', '自動回覆', '自動応答', '不在', '자동 회신',
];

/** Prefixes of automatic replies in general (acknowledgements, responders), not only absence notes. */
export const AUTO_REPLY_SUBJECT_PREFIXES = [
  'auto reply', 'auto-reply', 'autoreply', 'auto response', 'auto-response', 'autoresponse', 'automated response',
  'automatic response', 'autoantwort', 'automatische rückmeldung', 'eingangsbestätigung', 'accusé de réception',
  'acuse de recibo', 'ontvangstbevestiging',
];

/** Subjects that are an absence note as a whole (no original subject after them). */
export const OOO_SUBJECT_PHRASES = [
  'out of office', 'out of the office', 'on vacation', 'on holiday', 'on leave', 'away from the office',
  'abwesend', 'nicht im büro', 'im urlaub', 'en vacances', 'en congés', 'de vacaciones', 'in ferie', 'op vakantie',
  'em férias', 'på semester', 'na urlopie', 'v dovolené', 'в отпуске',
];

/** Body phrases of absence notes. */
export const OOO_BODY_PHRASES = [
  'i am out of the office', "i'm out of the office", 'i am currently out of', "i'm currently out of", 'i am away',
  "i'm away", 'i am on vacation', "i'm on vacation", 'i am on holiday', "i'm on holiday", 'i am on leave',
  'i will be out of the office', 'i will be back', "i'll be back", 'out of office until', 'with limited access to email',
  'no access to my email', 'will respond upon my return', 'upon my return', 'i will return on',
  'ich bin bis', 'ich bin vom', 'ich bin derzeit nicht', 'ich bin zurzeit nicht', 'nicht im büro', 'abwesend', 'im urlaub',
  'keinen zugriff auf meine e-mails', 'nach meiner rückkehr',
  'je suis absent', 'je suis absente', 'je serai absent', 'en congés', 'hors du bureau', 'à mon retour',
  'estoy fuera de la oficina', 'estaré fuera', 'a mi regreso', 'estoy de vacaciones',
  'sono fuori ufficio', 'sarò assente', 'al mio rientro', 'sono in ferie',
  'ik ben afwezig', 'ik ben niet aanwezig', 'na mijn terugkomst', 'ik ben met vakantie',
  'estou fora do escritório', 'estarei ausente', 'no meu regresso', 'estou de férias',
  'jag är på semester', 'jag är ledig', 'jeg er på ferie', 'jeg er fraværende', 'olen lomalla',
  'jestem poza biurem', 'jestem na urlopie', 'jsem mimo kancelář', 'jsem na dovolené',
  'я в отпуске', 'меня нет в офисе', '我正在休假', '不在办公室', '不在のため',
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `^(prefix)\s*[:：]` over the prefixes. */
export const OOO_SUBJECT_PREFIX = new RegExp(`^\\s*(?:${OOO_SUBJECT_PREFIXES.map(escape).join('|')})\\s*[:：]`, 'iu');

/** Prefixes that clients write only for absence notes ("Auto:" needs other evidence, a car dealer may write it). */
export const OOO_STRONG_SUBJECT_PREFIX = new RegExp(
  `^\\s*(?:${OOO_SUBJECT_PREFIXES.filter((p) => p !== 'auto' && p !== 'absence' && p !== 'ausente' && p !== 'assente' && p !== '不在').map(escape).join('|')})\\s*[:：]`,
  'iu',
);

export const AUTO_REPLY_SUBJECT_PREFIX = new RegExp(`^\\s*(?:${AUTO_REPLY_SUBJECT_PREFIXES.map(escape).join('|')})\\s*[:：]`, 'iu');

export const OOO_SUBJECT_PHRASE = new RegExp(`(?:^|[^\\p{L}])(?:${OOO_SUBJECT_PHRASES.map(escape).join('|')})(?:$|[^\\p{L}])`, 'iu');

export const OOO_BODY_PHRASE = new RegExp(`(?:^|[^\\p{L}])(?:${OOO_BODY_PHRASES.map(escape).join('|')})(?:$|[^\\p{L}])`, 'iu');

/** The first phrase of `re` in `text`, for the verdict's reason. */
export function matchOf(re: RegExp, text: string): string | undefined {
  const m = re.exec(text);
  return m ? m[0].trim() : undefined;
}
