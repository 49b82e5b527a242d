// The console: sign-in until there is a session, then the screens the capabilities allow.
import { lazy, LocationProvider, Route, Router } from 'preact-iso';
import { mayBorderCheck, mayReadHits, mayUseMessages, mayWriteRecords } from './app/capabilities';
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
const Records = lazy(() => import('./screens/Records').then((m) => m.Records));
const RecordEdit = lazy(() => import('./screens/RecordEdit').then((m) => m.RecordEdit));
const RecordView = lazy(() => import('./screens/RecordView').then((m) => m.RecordView));
const RecordImport = lazy(() => import('./screens/RecordImport').then((m) => m.RecordImport));

function Message({ text }: { text: string }) {
  return <p class="notice">{text}</p>;
}

export function App() {
  const { t } = useI18n();
  const { me } = useSession();
  if (!me) return <Login />;
  const messages = mayUseMessages(me);
  const records = mayWriteRecords(me);
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
            <Route path="/records" component={records ? Records : notAllowed} />
            <Route path="/records/:db" component={records ? Records : notAllowed} />
            <Route path="/records/:db/new" component={records ? RecordEdit : notAllowed} />
            <Route path="/records/:db/import" component={records ? RecordImport : notAllowed} />
            <Route path="/records/:db/:id" component={records ? RecordView : notAllowed} />
            <Route path="/records/:db/:id/edit" component={records ? RecordEdit : notAllowed} />
            <Route default component={() => <Message text={t('app.notFound')} />} />
          </Router>
        </Shell>
      </FeedProvider>
    </LocationProvider>
  );
}
