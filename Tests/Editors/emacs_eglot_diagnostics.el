;;; emacs_eglot_diagnostics.el --- batch test: eglot + EditorConfigs/emacs/slicels-eglot.el  -*- lexical-binding: t; -*-
;; Opens $SLICELS_TEST_FILE in yaml-mode, starts eglot with slicels, waits for a flymake
;; diagnostic whose message mentions $SLICELS_TEST_WANT, writes the diagnostics as JSON to
;; $SLICELS_TEST_OUTPUT and exits.
(require 'package)
(package-initialize)
(require 'json)
(require 'yaml-mode)
(require 'eglot)
(load (expand-file-name "EditorConfigs/emacs/slicels-eglot.el" (getenv "SLICELS_REPO")))
(setq slicels-command (list (getenv "SLICELS_BIN") "serve"))
(dolist (mode '(yaml-mode))
  (setf (alist-get mode eglot-server-programs) slicels-command))
(setq eglot-sync-connect 10)
(let* ((file (getenv "SLICELS_TEST_FILE"))
       (wanted (getenv "SLICELS_TEST_WANT"))
       (output (getenv "SLICELS_TEST_OUTPUT"))
       (deadline (+ (float-time) 30))
       (found nil))
  ;; eglot finds the project through project.el: the inmanta project folder is a git repository.
  (find-file file)
  (yaml-mode)
  ;; eglot-ensure waits for the command loop, which batch mode has not: connect directly, with
  ;; the contact the configuration put in eglot-server-programs.
  (apply #'eglot (eglot--guess-contact))
  (flymake-start)
  (while (and (not found) (< (float-time) deadline))
    (accept-process-output nil 0.2)
    (flymake-start)
    (let ((diagnostics (flymake-diagnostics)))
      (when (seq-find (lambda (d) (string-match-p (regexp-quote wanted) (flymake-diagnostic-text d))) diagnostics)
        (setq found diagnostics))))
  ;; Positions are read in the slice's buffer, before switching to the output's.
  (let ((entries (mapcar (lambda (d)
                           (let ((beg (flymake-diagnostic-beg d)))
                             (save-excursion
                               (goto-char beg)
                               `((line . ,(line-number-at-pos beg))
                                 (column . ,(- beg (line-beginning-position)))
                                 (type . ,(format "%s" (flymake-diagnostic-type d)))
                                 (message . ,(flymake-diagnostic-text d))))))
                         found))
        (server (if (eglot-current-server) "slicels" "none")))
    (with-temp-file output
      (insert (json-encode (if found
                               `((diagnostics . ,(vconcat entries)) (server . ,server))
                             '((error . "timed out")))))))
  (kill-emacs (if found 0 1)))
