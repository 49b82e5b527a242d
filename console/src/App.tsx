// The console: sign-in until there is a session, then the screens the capabilities allow.
import { LocationProvider, Route, Router } from 'preact-iso';
import { mayBorderCheck, mayUseMessages } from './app/capabilities';
import { useI18n } from './app/i18n';
import { useSession } from './app/session';
import { Shell } from './components/Shell';
import { FeedProvider } from './live/feed';
import { BorderCheck } from './screens/BorderCheck';
import { Dashboard } from './screens/Dashboard';
import { Inbox } from './screens/Inbox';
import { Login } from './screens/Login';
import { MessageView } from './screens/MessageView';

function Message({ text }: { text: string }) {
  return <p class="notice">{text}</p>;
}

export function App() {
  const { t } = useI18n();
  const { me } = useSession();
  if (!me) return <Login />;
  const messages = mayUseMessages(me);
  const notAllowed = () => <Message text={t('app.notAllowed')} />;
  return (
    <LocationProvider>
      <FeedProvider enabled={messages}>
        <Shell>
          <Router>
            <Route path="/" component={Dashboard} />
            <Route path="/messages" component={messages ? Inbox : notAllowed} />
            <Route path="/messages/:id" component={messages ? MessageView : notAllowed} />
            <Route path="/border-check" component={mayBorderCheck(me) ? BorderCheck : notAllowed} />
            <Route default component={() => <Message text={t('app.notFound')} />} />
          </Router>
        </Shell>
      </FeedProvider>
    </LocationProvider>
  );
}
