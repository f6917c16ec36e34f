export { listHostStyles as styles } from '../data-list/list-host.styles.js';
