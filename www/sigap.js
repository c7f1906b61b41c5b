/* sigap.js: small enhancements only; every page works without it.
 * - Asks for confirmation before revoking a token.
 * - On a step form with decision buttons, disables the buttons after the
 *   first press so a double click does not send the step twice.
 * - Narrows the ENISA type list to the types of the chosen class. */
(function () {
	'use strict';
	document.addEventListener('submit', function (ev) {
		var f = ev.target;
		if (f.action && /\/cabut$/.test(f.action) && !window.confirm(document.documentElement.lang === 'id'
			? 'Cabut token ini? Program yang memakainya tidak dapat lagi mengakses API.'
			: 'Revoke this token? Programs using it lose access to the API.')) {
			ev.preventDefault();
			return;
		}
		window.setTimeout(function () {
			var bs = f.querySelectorAll('button[type=submit]');
			for (var i = 0; i < bs.length; i++) bs[i].disabled = true;
		}, 0);
	});
	var types = {
		'abusive-content': ['spam', 'harmful-speech', 'violence'],
		'malicious-code': ['infected-system', 'c2-server', 'malware-distribution', 'malware-configuration'],
		'information-gathering': ['scanner', 'sniffing', 'social-engineering'],
		'intrusion-attempts': ['ids-alert', 'brute-force', 'exploit'],
		'intrusions': ['privileged-account-compromise', 'unprivileged-account-compromise',
			'application-compromise', 'system-compromise', 'burglary'],
		'availability': ['dos', 'ddos', 'misconfiguration', 'sabotage', 'outage'],
		'information-content-security': ['unauthorised-information-access',
			'unauthorised-information-modification', 'data-loss', 'data-leak'],
		'fraud': ['unauthorised-use-of-resources', 'copyright', 'masquerade', 'phishing'],
		'vulnerable': ['weak-crypto', 'ddos-amplifier', 'potentially-unwanted-accessible',
			'information-disclosure', 'vulnerable-system'],
		'other': ['other', 'undetermined'],
		'test': ['test']
	};
	var cls = document.getElementById('f-kategori'), typ = document.getElementById('f-jenis');
	if (cls && typ) {
		var narrow = function () {
			var allowed = types[cls.value];
			for (var i = 0; i < typ.options.length; i++) {
				var o = typ.options[i];
				o.hidden = !!(allowed && o.value && allowed.indexOf(o.value) < 0);
			}
			if (typ.selectedOptions.length && typ.selectedOptions[0].hidden) typ.value = '';
		};
		cls.addEventListener('change', narrow);
		narrow();
	}
})();
