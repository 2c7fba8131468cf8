/**
 * How mail systems that do not send RFC 3464 reports word their bounces and
 * delay warnings: qmail (and Yahoo, which runs it), Exim without DSN,
 * Sendmail, Exchange / Microsoft 365 NDR bodies, Gmail, Lotus Domino, and
 * localised subjects. Modelled on the public formats those systems document
 * or ship in their source (see docs/classification.md).
 */

/** Senders that are mail systems, not people (RFC 5321 §4.5.1 postmaster; the MAILER-DAEMON convention). */
export const DAEMON_LOCALPART = /^(?:mailer-daemon|mailer_daemon|mailerdaemon|mail-daemon|maildaemon|postmaster|post_master|mdaemon|mail-delivery-system|mail\.delivery\.system)$/i;
/** Senders no person writes from; mail-system evidence only together with a returned message and failure wording. */
export const NO_REPLY_LOCALPART = /^(?:no-?reply|do-?not-?reply|donotreply)$/i;
export const DAEMON_NAME = /\b(?:mail delivery (?:system|subsystem|service)|mailer[- ]daemon|postmaster|mail administrator|microsoft outlook|mail delivery)\b/i;

export const FAILURE_SUBJECT = new RegExp(
  '^\\s*(?:' +
    [
      'undelivered mail', 'undeliverable', 'undelivered', 'undeliverable mail', 'delivery status notification \\(failure\\)',
      'mail delivery failed', 'mail delivery failure', 'delivery failure', 'delivery failed', 'failure notice',
      'returned mail', 'mail returned', 'mail failure', 'mail failed', 'failed delivery', 'failure delivery',
      'permanent delivery failure', 'delivery status notification: error', 'there was an error sending your mail',
      'mail could not be delivered', 'delivery status notification$', 'postfix smtp server: errors from', 'メールエラー通知', 'message not delivered', 'message delivery failure', 'nondeliverable',
      'non[- ]?delivery', 'could not send message', 'mail system error', 'delivery notification: delivery has failed',
      'unzustellbar', 'nicht zustellbar', 'non remis', 'non distribuable', 'impossible de remettre',
      'no se puede entregar', 'no entregado', 'non recapitabile', 'onbestelbaar', 'não é possível entregar',
      'não entregue', 'kan ikke leveres', 'kunde inte levereras', 'ei voitu toimittaa', 'niedostarczalna',
      'nedoručitelné', 'kézbesíthetetlen', 'teslim edilemedi', 'недоставленное сообщение', '无法投递', '配信不能',
    ].join('|') +
    ')',
  'iu',
);

export const DELAY_SUBJECT = new RegExp(
  '^\\s*(?:' +
    [
      '(?:mail )?delivery status notification \\(delay\\)', 'delivery status notification: warning', 'delayed mail',
      'warning--could not send', 'warning: message .{1,60} delayed', 'delivery delayed',
      'mail delivery (?:warning|delayed)', 'message delayed', 'warning: could not send message', 'delivery delay notification',
      'zustellung verzögert', 'verzögerte zustellung', 'remise différée', 'distribution différée', 'entrega retrasada',
      'consegna ritardata', 'vertraagde bezorging', 'levering vertraagd',
    ].join('|') +
    ')',
  'iu',
);

export const FAILURE_BODY = new RegExp(
  [
    'this is the qmail-send program', "wasn't able to deliver your message", 'this is a permanent error',
    'could not be delivered to one or more', 'delivery has failed to these recipients', "your message couldn't be delivered",
    "your message wasn't delivered", 'your message was not delivered', 'the following recipient\\(s\\) cannot be reached',
    'following addresses had permanent fatal errors', 'unable to deliver your message', 'we were unable to deliver',
    'address not found', 'the email account that you tried to reach does not exist', 'delivery to the following recipients? failed',
    'message could not be delivered', 'could not be delivered to', 'was not delivered to', 'has been rejected',
    'did not reach the following recipient', 'unable to deliver message to the following', 'error delivering your mail',
    'recipients was aborted', 'invalid user address', 'failed addresses follow', "i'm not going to try again",
    'requested action not taken', 'permanent failure', 'fatal error', 'failed permanently', 'user unknown', 'no such user', 'mailbox unavailable',
    'recipient address rejected', 'mailbox (?:is )?full', 'quota exceeded', 'nicht zugestellt werden', 'konnte nicht zugestellt',
    "n'a pas pu être remis", 'no se pudo entregar', 'non è stato possibile recapitare', 'kon niet worden bezorgd',
  ].join('|'),
  'i',
);

export const DELAY_BODY = new RegExp(
  [
    'this is a warning only', 'has not yet been delivered', 'delivery to the following recipients? has been delayed',
    'delivery is delayed to these recipients', 'will continue to (?:try|retry)', 'still trying to deliver',
    'has been delayed', 'could not be delivered for more than', 'will be retried until', 'no action is required on your part',
    'temporarily deferred', 'wird weiterhin versucht', 'la remise a été retardée',
  ].join('|'),
  'i',
);

/** A list server refusing to distribute a post: fml's subjects and its non-member notice. */
export const LIST_SERVER_REFUSAL_SUBJECT = /\bare not (?:a )?member\b|^\s*loop alert:/i;
export const LIST_SERVER_REFUSAL_BODY = /you are not a member of this mailing list|duplicated message-id in/i;

/** Where the returned original starts in a bounce body; evidence is read above it. */
export const ORIGINAL_MARKER = new RegExp(
  '^\\s*(?:' +
    [
      '-{2,}\\s*below this line is a copy of the message', '-{2,}\\s*this is a copy of the message',
      '-{2,}\\s*original message', '-{2,}\\s*undelivered message', '-{2,}\\s*returned message',
      '-{2,}\\s*forwarded message', 'original message headers:', '-{2,}\\s*the header of the original message',
      '-{2,}\\s*message header follows', '-{2,}\\s*unsent message (?:below|follows)', 'message headers follow',
      '\\|-+\\s*message text follows', 'below is a copy of the original message',
    ].join('|') +
    ')',
  'im',
);

/** Wording that says permanent / temporary when no status code does. */
export const PERMANENT_WORDING = /permanent (?:error|failure)|not listed in (?:the )?(?:domino )?directory|does ?n[o']t have an? .{0,40}account|failed permanently|fatal error|does ?n[o']t exist|user unknown|no such (?:user|recipient|mailbox)|address not found|couldn't be found|unknown (?:user|recipient)|mailbox unavailable|recipient address rejected|account (?:has been )?disabled/i;
export const TEMPORARY_WORDING = /temporar(?:y|ily)|transient|try again later|mailbox (?:is )?full|quota exceeded|over quota/i;
