import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { App } from './app';
import { lang } from './i18n';

document.documentElement.lang = lang();
render(<App />, document.getElementById('app')!);
