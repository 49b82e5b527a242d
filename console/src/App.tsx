// The console: sign-in until there is a session, then the screens the capabilities allow.
import { lazy, LocationProvider, Route, Router } from 'preact-iso';
import { mayBorderCheck, mayReadHits, mayUseMessages } from './app/capabilities';
import { useI18n } from './app/i18n';
import { useSession } from './app/session';
import { Shell } from './components/Shell';
import { FeedProvider } from './live/feed';
import { Dashboard } from './screens/Dashboard';
import { Login } from './screens/Login';

// Loaded when first opened, so that the sign-in screen loads only what it needs.
const BorderCheck = lazy(() => import('./screens/BorderCheck').then((m) => m.BorderCheck));
const Inbox = lazy(() => import('./screens/Inbox').then((m) => m.Inbox));
const Hits = lazy(() => import('./screens/Hits').then((m) => m.Hits));
const HitView = lazy(() => import('./screens/HitView').then((m) => m.HitView));
const Compose = lazy(() => import('./screens/Compose').then((m) => m.Compose));
const MessageView = lazy(() => import('./screens/MessageView').then((m) => m.MessageView));

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
            <Route path="/messages/new" component={messages ? Compose : notAllowed} />
            <Route path="/messages/:id" component={messages ? MessageView : notAllowed} />
            <Route path="/border-check" component={mayBorderCheck(me) ? BorderCheck : notAllowed} />
            <Route path="/hits" component={mayReadHits(me) ? Hits : notAllowed} />
            <Route path="/hits/:id" component={mayReadHits(me) ? HitView : notAllowed} />
            <Route default component={() => <Message text={t('app.notFound')} />} />
          </Router>
        </Shell>
      </FeedProvider>
    </LocationProvider>
  );
}
