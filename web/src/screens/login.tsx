// Sign-in, the one-time password change, TOTP enrolment, and the re-login dialog shown when a
// session ends in the middle of work (the screen underneath keeps its typed text).
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, setCsrf } from '../api';
import { t } from '../i18n';
import { setUser, type User } from '../session';
import { FormError, SubmitButton, TextField, useSubmit } from '../components/ui';

interface LoginAnswer {
  csrf_token: string;
  user: User;
  must_change_password: boolean;
}

async function login(username: string, password: string, code: string): Promise<LoginAnswer> {
  const body: Record<string, string> = { username, password };
  if (code.trim()) body.totp_code = code.trim();
  const a = await call<LoginAnswer>('POST', '/auth/login', { body, noReauth: true });
  setCsrf(a.data.csrf_token);
  return a.data;
}

function LoginForm({ fixedUser, onDone }: { fixedUser?: string; onDone: (a: LoginAnswer, password: string) => void }) {
  const [username, setUsername] = useState(fixedUser ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const s = useSubmit(() => login(username, password, code), (a) => onDone(a, password));
  return (
    <form onSubmit={s.submit} noValidate>
      {!fixedUser && (
        <TextField label={t('login.username')} value={username} onInput={setUsername} autoComplete="username" name="username" error={s.fields['/username']} required />
      )}
      <TextField label={t('login.password')} type="password" value={password} onInput={setPassword} autoComplete="current-password" name="password" error={s.fields['/password']} required />
      <TextField label={t('login.totp_code')} hint={t('login.totp_hint')} value={code} onInput={setCode} autoComplete="one-time-code" inputMode="numeric" name="totp_code" error={s.fields['/totp_code']} />
      <FormError error={s.error} />
      <SubmitButton busy={s.busy} label={t('login.submit')} />
    </form>
  );
}

export function ChangePassword({ current, onDone }: { current?: string; onDone: () => void }) {
  const [cur, setCur] = useState(current ?? '');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState('');
  const s = useSubmit(async () => {
    if (next !== again) {
      setMismatch(t('password.mismatch'));
      throw new Error(t('form.fix_fields'));
    }
    setMismatch('');
    await call('POST', '/me/password', { body: { current_password: cur, new_password: next } });
  }, onDone);
  return (
    <form onSubmit={s.submit} noValidate>
      <p>{t('password.explain')}</p>
      <TextField label={t('password.current')} type="password" value={cur} onInput={setCur} autoComplete="current-password" name="current_password" error={s.fields['/current_password']} />
      <TextField label={t('password.new')} type="password" value={next} onInput={setNext} autoComplete="new-password" name="new_password" hint={t('password.rule')} error={s.fields['/new_password']} />
      <TextField label={t('password.again')} type="password" value={again} onInput={setAgain} autoComplete="new-password" name="new_password_again" error={mismatch} />
      <FormError error={mismatch ? '' : s.error} />
      <SubmitButton busy={s.busy} label={t('password.submit')} />
    </form>
  );
}

export function TotpEnrol({ onDone, onSkip }: { onDone: () => void; onSkip?: () => void }) {
  const [secret, setSecret] = useState<{ secret: string; otpauth_uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const start = useSubmit(async () => {
    const a = await call<{ secret: string; otpauth_uri: string }>('POST', '/me/totp', { body: {} });
    setSecret(a.data);
  });
  const confirm = useSubmit(async () => {
    await call('POST', '/me/totp/confirm', { body: { secret: secret!.secret, code: code.trim(), password } });
  }, onDone);
  if (!secret) {
    return (
      <form onSubmit={start.submit}>
        <p>{t('totp.explain')}</p>
        <FormError error={start.error} />
        <div class="row">
          <SubmitButton busy={start.busy} label={t('totp.start')} />
          {onSkip && (
            <button type="button" onClick={onSkip}>
              {t('totp.skip')}
            </button>
          )}
        </div>
      </form>
    );
  }
  return (
    <form onSubmit={confirm.submit} noValidate>
      <p>{t('totp.enter_secret')}</p>
      <p>
        <code class="secret" data-testid="totp-secret">
          {secret.secret}
        </code>
      </p>
      <p class="hint break">{secret.otpauth_uri}</p>
      <TextField label={t('totp.code')} value={code} onInput={setCode} inputMode="numeric" autoComplete="one-time-code" name="code" error={confirm.fields['/code']} />
      <TextField label={t('login.password')} type="password" value={password} onInput={setPassword} autoComplete="current-password" name="password" error={confirm.fields['/password']} />
      <FormError error={confirm.error} />
      <SubmitButton busy={confirm.busy} label={t('totp.confirm')} />
    </form>
  );
}

// The whole sign-in journey; calls onSignedIn with the user once nothing is pending.
export function SignIn() {
  const [step, setStep] = useState<'login' | 'password' | 'totp'>('login');
  const [answer, setAnswer] = useState<LoginAnswer | null>(null);
  const [pw, setPw] = useState('');
  const finish = async () => {
    const me = await call<User>('GET', '/me', { noReauth: true });
    setUser(me.data);
  };
  useEffect(() => {
    document.title = t('login.title') + ' — ucsc';
  }, [step]);
  return (
    <main class="signin" id="main">
      <div class="card signin-card">
        <h1>{step === 'login' ? t('login.title') : step === 'password' ? t('password.title') : t('totp.title')}</h1>
        <p class="muted">{t('app.name_long')}</p>
        {step === 'login' && (
          <LoginForm
            onDone={(a, password) => {
              setAnswer(a);
              setPw(password);
              if (a.must_change_password) setStep('password');
              else setUser(a.user);
            }}
          />
        )}
        {step === 'password' && (
          <ChangePassword
            current={pw}
            onDone={() => {
              setPw('');
              if (answer && !answer.user.totp_enabled) setStep('totp');
              else finish();
            }}
          />
        )}
        {step === 'totp' && <TotpEnrol onDone={finish} onSkip={finish} />}
      </div>
    </main>
  );
}

// Modal shown when the session ends (401) during work.
export function ReloginDialog({ username, onDone }: { username: string; onDone: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} class="card" aria-labelledby="relogin-title" onCancel={(e) => e.preventDefault()}>
      <h2 id="relogin-title">{t('relogin.title')}</h2>
      <p>{t('relogin.explain', { user: username })}</p>
      <LoginForm fixedUser={username} onDone={() => onDone()} />
    </dialog>
  );
}
