;;; emacs_eglot_scenarios.el --- batch scenarios on EditorConfigs/emacs/slicels-eglot.el  -*- lexical-binding: t; -*-
;; Loads the configuration as its README says ((slicels-eglot-setup)), visits
;; $SLICELS_TEST_FILE in the major mode Emacs picks for it, connects eglot as
;; `eglot-ensure' would, runs $SLICELS_TEST_SCENARIO and writes what it saw as JSON to
;; $SLICELS_TEST_OUTPUT:
;;   attach    waits for a diagnostic mentioning $SLICELS_TEST_WANT: mode, server, diagnostics
;;   preview   M-x slicels-preview: the buffer it shows
;;   update    M-x slicels-update, then save
;;   plan      M-x slicels-plan: the buffer it shows
;;   compile   M-x slicels-compile, then the buffer once reverted from what the compile wrote
;;   quickfix  the code action titled $SLICELS_TEST_WANT at $SLICELS_TEST_AT, applied
;;   outside   a JSON file outside any inmanta project: which server eglot would start
(require 'package)
(package-initialize)
(require 'json)
(require 'yaml-mode)
(require 'eglot)
(load (expand-file-name "EditorConfigs/emacs/slicels-eglot.el" (getenv "SLICELS_REPO")))
(setq slicels-command (list (getenv "SLICELS_BIN") "serve"))
(slicels-eglot-setup)
(setq eglot-sync-connect 10)

(defvar scenario-output (getenv "SLICELS_TEST_OUTPUT"))
(defvar scenario-wanted (getenv "SLICELS_TEST_WANT"))

(defun scenario-finish (result)
  (with-temp-file scenario-output (insert (json-encode result)))
  (kill-emacs 0))

(defun scenario-wait (what predicate)
  "Run PREDICATE until it returns non-nil (its value), at most 60 s."
  (let ((deadline (+ (float-time) 60)) (value nil))
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.2))
    (or value (scenario-finish `((error . ,(format "timed out waiting for %s" what)))))))

(defun scenario-diagnostics ()
  (flymake-start)
  (mapcar (lambda (d)
            (let ((beg (flymake-diagnostic-beg d)))
              `((line . ,(line-number-at-pos beg))
                (column . ,(save-excursion (goto-char beg) (- beg (line-beginning-position))))
                (type . ,(format "%s" (flymake-diagnostic-type d)))
                (message . ,(flymake-diagnostic-text d)))))
          (flymake-diagnostics)))

(defun scenario-wait-diagnostic (wanted)
  (scenario-wait (format "a diagnostic about %s" wanted)
                 (lambda ()
                   (let ((all (scenario-diagnostics)))
                     (and (seq-find (lambda (d) (string-match-p (regexp-quote wanted) (alist-get 'message d))) all)
                          all)))))

(defun scenario-server-name ()
  (let ((server (eglot-current-server)))
    (cond ((null server) "none")
          ((cl-typep server 'slicels-eglot-server) "slicels")
          (t (format "%s" (process-command (jsonrpc--process server)))))))

(condition-case problem
    (let ((file (getenv "SLICELS_TEST_FILE"))
          (scenario (getenv "SLICELS_TEST_SCENARIO")))
      (find-file file)
      (if (equal scenario "outside")
          (scenario-finish
           `((mode . ,(format "%s" major-mode))
             (contact . ,(format "%S" (nth 3 (eglot--guess-contact))))))
        ;; eglot-ensure connects from the command loop, which batch mode has not: connect as it
        ;; would, with the contact the configuration chose for the buffer.
        (apply #'eglot (eglot--guess-contact))
        (pcase scenario
          ("attach"
           (let ((diagnostics (scenario-wait-diagnostic scenario-wanted)))
             (scenario-finish `((mode . ,(format "%s" major-mode))
                                (server . ,(scenario-server-name))
                                (diagnostics . ,(vconcat diagnostics))))))
          ("preview"
           (slicels-preview)
           (let ((buffer (scenario-wait "the preview buffer"
                                        (lambda () (get-buffer "*slicels fs/web01.merged.json*")))))
             (with-current-buffer buffer
               (scenario-finish `((name . ,(buffer-name))
                                  (read-only . ,(if buffer-read-only t :json-false))
                                  (shown . ,(if (get-buffer-window buffer) t :json-false))
                                  (text . ,(buffer-string)))))))
          ("update"
           (scenario-wait-diagnostic "did you mean")
           (slicels-update)
           (save-buffer)
           (scenario-finish `((text . ,(buffer-string)))))
          ("compile"
           (scenario-wait-diagnostic scenario-wanted)
           (let ((before (buffer-string)))
             (slicels-compile)
             (scenario-wait "the buffer reverted from the compile's file"
                            (lambda () (not (equal (buffer-string) before))))
             (scenario-finish `((text . ,(buffer-string))
                                (messages . ,(with-current-buffer "*Messages*" (buffer-string)))))))
          ("plan"
           (slicels-plan)
           (with-current-buffer "*slicels plan*"
             (scenario-finish `((read-only . ,(if buffer-read-only t :json-false))
                                (text . ,(buffer-string))))))
          ("quickfix"
           (scenario-wait-diagnostic "did you mean")
           (goto-char (point-min))
           (re-search-forward (getenv "SLICELS_TEST_AT"))
           (goto-char (match-beginning 0))
           (let* ((actions (eglot-code-actions (point) (point)))
                  (chosen (seq-find (lambda (a) (string-match-p (regexp-quote scenario-wanted) (plist-get a :title)))
                                    actions)))
             (unless chosen
               (scenario-finish `((error . "no such code action")
                                  (offered . ,(vconcat (mapcar (lambda (a) (plist-get a :title)) actions))))))
             ;; What choosing it in M-x eglot-code-actions does.
             (eglot--read-execute-code-action (list chosen) (eglot-current-server) "quickfix")
             (save-buffer)
             (scenario-finish `((text . ,(buffer-string))))))
          (_ (scenario-finish `((error . ,(format "unknown scenario %s" scenario))))))))
  (error (scenario-finish `((error . ,(format "%S" problem))))))
